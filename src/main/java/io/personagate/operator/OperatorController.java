package io.personagate.operator;

import java.util.List;

import io.personagate.gate.GateService;
import io.personagate.gate.InvalidInputException;
import io.personagate.gate.VerificationGate;
import io.personagate.security.Actors;
import io.personagate.security.Scopes;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;

/**
 * The operator API over GraphQL. Each operation needs a scope ({@link Scopes}); the user
 * comes from an argument, the actor recorded in the audit trail from the token.
 */
@Controller
public class OperatorController {

	private static final int MAX_REFERENCE_ID_LENGTH = 255;

	private static final int MAX_NOTE_LENGTH = 1000;

	private static final int MAX_HISTORY = 500;

	private final GateService gates;

	private final GateHistory history;

	public OperatorController(GateService gates, GateHistory history) {
		this.gates = gates;
		this.history = history;
	}

	@QueryMapping
	@PreAuthorize(Scopes.READ)
	public Mono<VerificationGate> verificationGateOf(@Argument String referenceId, @Argument String templateId) {
		return Mono.fromCallable(() -> referenceId(referenceId)).flatMap((user) -> this.gates.gate(user, templateId));
	}

	@QueryMapping
	@PreAuthorize(Scopes.READ)
	public Mono<List<GateHistoryEntry>> gateHistory(@Argument String referenceId, @Argument String templateId,
			@Argument Integer first) {
		return Mono.fromCallable(() -> referenceId(referenceId))
			.flatMap((user) -> this.history.of(user, templateId, first(first)));
	}

	@MutationMapping
	@PreAuthorize(Scopes.ADMIN)
	public Mono<RefreshVerificationGatePayload> refreshVerificationGate(@Argument RefreshVerificationGateInput input,
			@AuthenticationPrincipal Jwt jwt) {
		return Mono.fromCallable(() -> referenceId(input.referenceId()))
			.flatMap((user) -> this.gates.refreshNow(user, input.templateId(), Actors.of(jwt),
					note(input.note(), "note", false)))
			.map((gate) -> new RefreshVerificationGatePayload(input.clientMutationId(), gate));
	}

	@MutationMapping
	@PreAuthorize(Scopes.ADMIN)
	public Mono<GrantInquiryAttemptPayload> grantInquiryAttempt(@Argument GrantInquiryAttemptInput input,
			@AuthenticationPrincipal Jwt jwt) {
		return Mono.fromCallable(() -> referenceId(input.referenceId()))
			.flatMap((user) -> this.gates.grantAttempt(user, input.templateId(), Actors.of(jwt),
					note(input.reason(), "reason", true)))
			.map((gate) -> new GrantInquiryAttemptPayload(input.clientMutationId(), gate));
	}

	private static String referenceId(String referenceId) {
		if (referenceId == null || referenceId.isBlank()) {
			throw new InvalidInputException("referenceId must not be blank");
		}
		if (referenceId.length() > MAX_REFERENCE_ID_LENGTH) {
			throw new InvalidInputException(
					"referenceId must be at most " + MAX_REFERENCE_ID_LENGTH + " characters long");
		}
		return referenceId;
	}

	private static int first(Integer first) {
		int value = (first != null) ? first : 50;
		if (value < 1 || value > MAX_HISTORY) {
			throw new InvalidInputException("first must be between 1 and " + MAX_HISTORY);
		}
		return value;
	}

	private static String note(String text, String name, boolean required) {
		if (text == null || text.isBlank()) {
			if (required) {
				throw new InvalidInputException(name + " must not be blank: say why, for the audit trail");
			}
			return null;
		}
		if (text.length() > MAX_NOTE_LENGTH) {
			throw new InvalidInputException(name + " must be at most " + MAX_NOTE_LENGTH + " characters long");
		}
		return text.strip();
	}

}
