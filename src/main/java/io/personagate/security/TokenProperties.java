package io.personagate.security;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How users' tokens are checked, beyond Spring Boot's own
 * spring.security.oauth2.resourceserver.jwt.*.
 *
 * @param acceptAnyAudience true starts the service without
 * spring.security.oauth2.resourceserver.jwt.audiences, accepting any token the identity
 * provider issued, whatever application it was issued for; only for identity providers
 * that put no audience in their tokens
 * @param keysCheckInterval how long the outcome of fetching the identity provider's keys
 * (the tokenKeys health component, part of readiness) is reused before they are fetched
 * again
 * @param keysFetchInterval the shortest time between two reads of the identity provider's
 * key set (and of its discovery document): a token with a key id the service does not
 * know makes it read the key set again at most this often, however many such tokens come;
 * the answer is shared by every request and the health check in that time
 */
@Validated
@ConfigurationProperties("gate.jwt")
public record TokenProperties(@DefaultValue("false") boolean acceptAnyAudience,
		@DefaultValue("30s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration keysCheckInterval,
		@DefaultValue("5s") @NotNull @DurationMin(millis = 1,
				message = "must be positive") Duration keysFetchInterval) {
}
