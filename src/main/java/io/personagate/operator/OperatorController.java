package io.personagate.operator;

import java.util.List;
import java.util.function.Function;

import io.personagate.gate.GateService;
import io.personagate.gate.VerificationGate;
import io.personagate.persona.PersonaCaller;
import io.personagate.security.Actors;
import io.personagate.security.PrintableText;
import io.personagate.security.ReferenceIds;
import io.personagate.security.Scopes;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
 * comes from an argument, the actor recorded in the audit trail from the token. Every
 * argument is checked by Bean Validation before anything runs ({@link PrintableText}:
 * refused as BAD_REQUEST); every Persona call an operation causes counts against the
 * operator's allowance ({@code persona.rate-limit.operators}), each alias alike.
 */
@Controller
public class OperatorController {

	static final int MAX_NOTE_LENGTH = 1000;

	private static final int MAX_HISTORY = 500;

	private final GateService gates;

	private final GateHistory history;

	public OperatorController(GateService gates, GateHistory history) {
		this.gates = gates;
		this.history = history;
	}

	@QueryMapping
	@PreAuthorize(Scopes.READ)
	public Mono<VerificationGate> verificationGateOf(
			@Argument @NotBlank @PrintableText(max = ReferenceIds.MAX_LENGTH) String referenceId,
			@Argument String templateId, @AuthenticationPrincipal Jwt jwt) {
		return asOperator(jwt, (actor) -> this.gates.gate(referenceId, templateId));
	}

	@QueryMapping
	@PreAuthorize(Scopes.READ)
	public Mono<List<GateHistoryEntry>> gateHistory(
			@Argument @NotBlank @PrintableText(max = ReferenceIds.MAX_LENGTH) String referenceId,
			@Argument String templateId, @Argument @Min(1) @Max(MAX_HISTORY) Integer first) {
		return this.history.of(referenceId, templateId, (first != null) ? first : 50);
	}

	@MutationMapping
	@PreAuthorize(Scopes.ADMIN)
	public Mono<RefreshVerificationGatePayload> refreshVerificationGate(
			@Argument @Valid RefreshVerificationGateInput input, @AuthenticationPrincipal Jwt jwt) {
		return asOperator(jwt,
				(actor) -> this.gates.refreshNow(input.referenceId(), input.templateId(), actor, note(input.note())))
			.map((gate) -> new RefreshVerificationGatePayload(input.clientMutationId(), gate));
	}

	@MutationMapping
	@PreAuthorize(Scopes.ADMIN)
	public Mono<GrantInquiryAttemptPayload> grantInquiryAttempt(@Argument @Valid GrantInquiryAttemptInput input,
			@AuthenticationPrincipal Jwt jwt) {
		return asOperator(jwt,
				(actor) -> this.gates.grantAttempt(input.referenceId(), input.templateId(), actor, note(input.reason()),
						(input.expiresAt() != null) ? input.expiresAt().toInstant() : null))
			.map((gate) -> new GrantInquiryAttemptPayload(input.clientMutationId(), gate));
	}

	/**
	 * The work of an operator, the actor, with the Persona calls it makes counted against
	 * their allowance.
	 */
	private static <T> Mono<T> asOperator(Jwt jwt, Function<String, Mono<T>> work) {
		return Mono.fromCallable(() -> Actors.of(jwt))
			.flatMap((actor) -> work.apply(actor).contextWrite(PersonaCaller.ofOperator(actor)));
	}

	private static String note(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

}
