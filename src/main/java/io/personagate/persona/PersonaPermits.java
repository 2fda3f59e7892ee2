package io.personagate.persona;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import reactor.core.publisher.Mono;

/**
 * Permission to send one request to Persona. Each request (each attempt, each page) takes
 * one permit from the budget of the Persona environment, and, when it is made for a user,
 * one from that user's allowance.
 */
public interface PersonaPermits {

	/**
	 * How long to wait before sending the request; or an error:
	 * {@link PersonaException.Unavailable} of kind
	 * {@link PersonaException.Unavailable.Kind#RATE_LIMITED_LOCALLY} when the budget has
	 * no permit within {@code persona.rate-limit.max-wait},
	 * {@link PersonaException.CallerRateLimited} when the caller has used their
	 * allowance.
	 * @param caller the user the request is for, or {@code null}
	 */
	Mono<Duration> acquire(PersonaCaller caller);

	/**
	 * This instance's own limiter, for tools and tests that run a client without a
	 * database: no per-user allowance, and no sharing with other instances.
	 */
	static PersonaPermits local(RateLimiter limiter) {
		return (caller) -> Mono.defer(() -> {
			long waitNanos = limiter.reservePermission();
			if (waitNanos < 0) {
				return Mono.error(budgetExhausted());
			}
			return Mono.just(Duration.ofNanos(waitNanos));
		});
	}

	static PersonaException.Unavailable budgetExhausted() {
		return new PersonaException.Unavailable(
				"No Persona request budget left for now (persona.rate-limit.requests-per-minute)",
				PersonaException.Unavailable.Kind.RATE_LIMITED_LOCALLY, 0, null, null);
	}

}
