package io.personagate.persona;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The resilience4j parts around every Persona call: a retry for transient failures
 * (exponential back-off with jitter, or as long as {@code RateLimit-Reset} says on a
 * 429), and a circuit breaker that stops calling a Persona that keeps failing, with their
 * metrics published to Micrometer; and the permits ({@link PersonaPermits}) that keep
 * every instance together under Persona's limit and each user under their allowance. What
 * remains of the budget is not published: it would tell an attacker when to strike.
 */
@Component
public class PersonaResilience {

	static final String NAME = "persona";

	private static final Logger logger = LoggerFactory.getLogger(PersonaResilience.class);

	private final Retry retry;

	private final Retry createRetry;

	private final CircuitBreaker circuitBreaker;

	private final PersonaPermits permits;

	/** With this instance's own rate limiter: for tools and tests without a database. */
	public PersonaResilience(PersonaProperties properties, MeterRegistry meters) {
		this(properties, meters,
				PersonaPermits.local(RateLimiter.of(NAME,
						RateLimiterConfig.custom()
							.limitForPeriod(properties.rateLimit().requestsPerMinute())
							.limitRefreshPeriod(Duration.ofMinutes(1))
							.timeoutDuration(properties.rateLimit().maxWait())
							.build())));
	}

	@Autowired
	public PersonaResilience(PersonaProperties properties, MeterRegistry meters, PersonaPermits permits) {
		this.permits = permits;
		PersonaProperties.Retry retrySettings = properties.retry();
		RetryConfig retryConfig = RetryConfig.<Object>custom()
			.maxAttempts(retrySettings.maxAttempts())
			.retryOnException((ex) -> isRetryable(ex, retrySettings))
			.intervalBiFunction((attempt, outcome) -> waitMillis(attempt, outcome, retrySettings))
			.failAfterMaxAttempts(false)
			.build();
		RetryRegistry retries = RetryRegistry.of(retryConfig);
		this.retry = retries.retry(NAME);
		this.createRetry = retries.retry(NAME + "-create",
				RetryConfig.from(retryConfig)
					.retryOnException((ex) -> isRetryable(ex, retrySettings)
							&& !(ex instanceof PersonaException persona && persona.isKeySpent()))
					.build());
		this.retry.getEventPublisher()
			.onRetry((event) -> logger.debug("Retrying Persona call (attempt {} failed: {}), waiting {} ms",
					event.getNumberOfRetryAttempts(), LogSafe.of(event.getLastThrowable().getMessage()),
					event.getWaitInterval().toMillis()));

		PersonaProperties.CircuitBreaker breakerSettings = properties.circuitBreaker();
		CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
			.failureRateThreshold(breakerSettings.failureRateThreshold())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(breakerSettings.slidingWindowSize())
			.minimumNumberOfCalls(breakerSettings.minimumCalls())
			.waitDurationInOpenState(breakerSettings.openDuration())
			.permittedNumberOfCallsInHalfOpenState(breakerSettings.halfOpenCalls())
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.recordException((ex) -> ex instanceof PersonaException.Unavailable unavailable
					&& unavailable.kind() != PersonaException.Unavailable.Kind.RATE_LIMITED_LOCALLY)
			.build();
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(breakerConfig);
		this.circuitBreaker = breakers.circuitBreaker(NAME);
		this.circuitBreaker.getEventPublisher()
			.onStateTransition((event) -> logger.warn("Persona circuit breaker: {}", event.getStateTransition()));

		TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
	}

	public Retry retry() {
		return this.retry;
	}

	/**
	 * The retry of calls that create: as {@link #retry()}, but never after a failure that
	 * used up the attempt's {@code Idempotency-Key}.
	 */
	public Retry createRetry() {
		return this.createRetry;
	}

	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	public PersonaPermits permits() {
		return this.permits;
	}

	private static boolean isRetryable(Throwable ex, PersonaProperties.Retry settings) {
		if (ex instanceof PersonaException.Unavailable unavailable) {
			return unavailable.isTransient();
		}
		if (ex instanceof PersonaException.RateLimited limited) {
			return limited.resetSeconds() < 0
					|| Duration.ofSeconds(limited.resetSeconds()).compareTo(settings.maxRateLimitWait()) <= 0;
		}
		return false;
	}

	private static long waitMillis(int attempt, Either<Throwable, Object> outcome, PersonaProperties.Retry settings) {
		long jitter = ThreadLocalRandom.current().nextLong(0, 50);
		if (outcome.isLeft() && outcome.getLeft() instanceof PersonaException.RateLimited limited
				&& limited.resetSeconds() >= 0) {
			return Duration.ofSeconds(limited.resetSeconds()).toMillis() + jitter;
		}
		long exponential = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
		long capped = Math.min(exponential, settings.maxBackoff().toMillis());
		return capped / 2 + ThreadLocalRandom.current().nextLong(0, capped / 2 + 1) + jitter;
	}

}
