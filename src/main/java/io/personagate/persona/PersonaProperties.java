package io.personagate.persona;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach Persona's API, and how hard to try. The defaults keep a gate answer under
 * five seconds in the worst case: each attempt is bounded by the timeouts, and a whole
 * operation (all pages, all retries) by {@code deadline}.
 *
 * @param baseUrl API base URL
 * @param apiKey the API key (secret; never logged)
 * @param version value of the Persona-Version header
 * @param pageSize page[size] for listings
 * @param maxPages most pages one listing follows before giving up
 * @param connectTimeout TCP connect timeout of one attempt
 * @param responseTimeout time allowed for one response
 * @param deadline time allowed for one whole operation, retries and pages included
 * @param retry retries of transient failures
 * @param circuitBreaker when to stop calling a failing Persona
 * @param rateLimit the Persona request budget of all instances, and each user's share
 * @param authFailureLogInterval how often a refused API key is logged at error level
 */
@Validated
@ConfigurationProperties("persona")
public record PersonaProperties(@DefaultValue("https://api.withpersona.com/api/v1") @NotNull URI baseUrl,
		@NotBlank(message = "must be set (persona.api-key, env PERSONA_API_KEY)") String apiKey,
		@DefaultValue("2025-12-08") @NotBlank String version, @DefaultValue("100") @Min(1) @Max(100) int pageSize,
		@DefaultValue("50") @Min(1) int maxPages,
		@DefaultValue("1s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration connectTimeout,
		@DefaultValue("2s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration responseTimeout,
		@DefaultValue("4s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration deadline,
		@DefaultValue @Valid @NotNull Retry retry, @DefaultValue @Valid @NotNull CircuitBreaker circuitBreaker,
		@DefaultValue @Valid @NotNull RateLimit rateLimit,
		@DefaultValue("1m") @NotNull Duration authFailureLogInterval) {

	/**
	 * Settings with everything but the essentials at their defaults (for tests and
	 * tools).
	 */
	public static PersonaProperties of(URI baseUrl, String apiKey, Duration responseTimeout) {
		return new PersonaProperties(baseUrl, apiKey, "2025-12-08", 100, 50, Duration.ofSeconds(1), responseTimeout,
				Duration.ofSeconds(4), Retry.DEFAULT, CircuitBreaker.DEFAULT, RateLimit.DEFAULT, Duration.ofMinutes(1));
	}

	@Override
	public String toString() {
		return "PersonaProperties[baseUrl=" + this.baseUrl + ", apiKey=***, version=" + this.version + "]";
	}

	/**
	 * @param maxAttempts attempts per call, the first included
	 * @param initialBackoff wait before the first retry; doubles each time, with jitter
	 * @param maxBackoff longest wait between attempts
	 * @param maxRateLimitWait longest RateLimit-Reset worth waiting for; longer ones fail
	 * at once
	 */
	public record Retry(@DefaultValue("3") @Min(1) int maxAttempts, @DefaultValue("100ms") Duration initialBackoff,
			@DefaultValue("1s") Duration maxBackoff, @DefaultValue("2s") Duration maxRateLimitWait) {

		static final Retry DEFAULT = new Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(2));

	}

	/**
	 * @param failureRateThreshold percentage of failed calls that opens the circuit
	 * @param slidingWindowSize calls the failure rate is computed over
	 * @param minimumCalls calls needed before the rate counts
	 * @param openDuration how long the circuit stays open before probing again
	 * @param halfOpenCalls probe calls allowed while half open
	 */
	public record CircuitBreaker(@DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
			@DefaultValue("20") @Min(1) int slidingWindowSize, @DefaultValue("10") @Min(1) int minimumCalls,
			@DefaultValue("10s") Duration openDuration, @DefaultValue("3") @Min(1) int halfOpenCalls) {

		static final CircuitBreaker DEFAULT = new CircuitBreaker(50, 20, 10, Duration.ofSeconds(10), 3);

	}

	/**
	 * The Persona request budget, shared by every instance on the same database, and each
	 * user's allowance within it. Persona counts requests per environment in windows of a
	 * minute that start at the first request; the budget is a token bucket of
	 * {@code burst} permits refilled at {@code requests-per-minute - burst} a minute, so
	 * that no 60 seconds, however they fall, hold more than {@code requests-per-minute}
	 * requests.
	 *
	 * @param requestsPerMinute the Persona environment's limit (300 by default at
	 * Persona), for all instances together
	 * @param burst permits available at once after a quiet spell; less than
	 * requests-per-minute
	 * @param maxWait longest a call waits for a permit before failing
	 * @param perUser each user's allowance
	 * @param operators the operator API's allowance: each operator's, and the share of
	 * all of them
	 */
	public record RateLimit(@DefaultValue("300") @Min(2) int requestsPerMinute, @DefaultValue("50") @Min(1) int burst,
			@DefaultValue("1s") @NotNull Duration maxWait, @DefaultValue @Valid @NotNull PerUser perUser,
			@DefaultValue @Valid @NotNull Operators operators) {

		static final RateLimit DEFAULT = new RateLimit(300, 50, Duration.ofSeconds(1), PerUser.DEFAULT,
				Operators.DEFAULT);

		@AssertTrue(message = "persona.rate-limit.burst must be less than persona.rate-limit.requests-per-minute")
		boolean isBurstBelowTheLimit() {
			return this.burst < this.requestsPerMinute;
		}

		/** Permits added to the budget each second. */
		public double refillPerSecond() {
			return (this.requestsPerMinute - this.burst) / 60.0;
		}

	}

	/**
	 * How many Persona requests one user may cause: per template, a burst and then a few
	 * a minute; and across all templates at most {@code max-share} of the budget. Beyond,
	 * the user's request is refused as {@code RATE_LIMITED} with the time to wait, and
	 * nothing is sent.
	 *
	 * @param burst requests one user may cause on one template at once
	 * @param requestsPerMinute requests one user may cause on one template each minute
	 * after the burst
	 * @param maxShare the largest fraction of the budget (its burst and its refill) one
	 * user may take, all templates together
	 */
	public record PerUser(@DefaultValue("10") @Min(1) int burst, @DefaultValue("6") @Min(1) int requestsPerMinute,
			@DefaultValue("0.2") @DecimalMin("0.01") @DecimalMax("1.0") double maxShare) {

		static final PerUser DEFAULT = new PerUser(10, 6, 0.2);

	}

	/**
	 * How many Persona requests the operator API may cause: each operator (each token
	 * subject) a burst and then so many a minute, all operators together at most
	 * {@code max-share} of the budget; on top of the allowance of each user whose gate an
	 * operator reads or refreshes. Beyond, the operator's field is refused as
	 * {@code RATE_LIMITED} with the time to wait, and nothing is sent: ordinary users
	 * keep the rest of the budget.
	 *
	 * @param burst requests one operator may cause at once
	 * @param requestsPerMinute requests one operator may cause each minute after the
	 * burst
	 * @param maxShare the largest fraction of the budget (its burst and its refill) all
	 * operators together may take
	 */
	public record Operators(@DefaultValue("5") @Min(1) int burst, @DefaultValue("30") @Min(1) int requestsPerMinute,
			@DefaultValue("0.2") @DecimalMin("0.01") @DecimalMax("1.0") double maxShare) {

		static final Operators DEFAULT = new Operators(5, 30, 0.2);

	}

}
