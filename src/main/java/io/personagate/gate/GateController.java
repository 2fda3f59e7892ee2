package io.personagate.gate;

import io.personagate.security.ReferenceIds;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Controller;

/**
 * The gate over GraphQL. The user always comes from the bearer token, never from an
 * argument.
 */
@Controller
public class GateController {

	private final GateService gates;

	private final ReferenceIds referenceIds;

	public GateController(GateService gates, ReferenceIds referenceIds) {
		this.gates = gates;
		this.referenceIds = referenceIds;
	}

	@QueryMapping
	public Mono<VerificationGate> verificationGate(@Argument String templateId, @AuthenticationPrincipal Jwt jwt) {
		return Mono.fromCallable(() -> this.referenceIds.of(jwt))
			.flatMap((referenceId) -> this.gates.gate(referenceId, templateId));
	}

	@SubscriptionMapping
	public Flux<VerificationGate> verificationGateChanged(@Argument String templateId,
			@AuthenticationPrincipal Jwt jwt) {
		return Mono.fromCallable(() -> this.referenceIds.of(jwt))
			.flatMapMany((referenceId) -> this.gates.watch(referenceId, templateId));
	}

	@MutationMapping
	public Mono<EnsureInquiryPayload> ensureInquiry(@Argument EnsureInquiryInput input,
			@AuthenticationPrincipal Jwt jwt) {
		return Mono.fromCallable(() -> this.referenceIds.of(jwt))
			.flatMap((referenceId) -> this.gates.ensureInquiry(referenceId, input.templateId(),
					input.clientMutationId()));
	}

}
