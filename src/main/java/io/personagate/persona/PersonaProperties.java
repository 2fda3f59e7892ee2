package io.personagate.persona;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

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
 * @param version value of the {@code Persona-Version} header
 * @param pageSize {@code page[size]} for listings
 * @param maxPages most pages one listing follows before giving up
 * @param connectTimeout TCP connect timeout of one attempt
 * @param responseTimeout time allowed for one response
 * @param deadline time allowed for one whole operation, retries and pages included
 * @param retry retries of transient failures
 * @param circuitBreaker when to stop calling a failing Persona
 * @param rateLimit this instance's share of Persona's rate limit
 * @param authFailureLogInterval how often a refused API key is logged at error level
 */
@Validated
@ConfigurationProperties("persona")
public record PersonaProperties(@DefaultValue("https://api.withpersona.com/api/v1") @NotNull URI baseUrl,
		@NotBlank(message = "must be set (persona.api-key, env PERSONA_API_KEY)") String apiKey,
		@DefaultValue("2025-12-08") @NotBlank String version, @DefaultValue("100") @Min(1) @Max(100) int pageSize,
		@DefaultValue("50") @Min(1) int maxPages, @DefaultValue("1s") @NotNull Duration connectTimeout,
		@DefaultValue("2s") @NotNull Duration responseTimeout, @DefaultValue("4s") @NotNull Duration deadline,
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
	 * @param maxRateLimitWait longest {@code RateLimit-Reset} worth waiting for; longer
	 * ones fail at once
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
	 * @param requestsPerMinute requests this instance may send per minute (Persona's
	 * default limit is 300 per environment: divide it among the instances)
	 * @param maxWait longest a call waits for a permit before failing
	 */
	public record RateLimit(@DefaultValue("300") @Min(1) int requestsPerMinute, @DefaultValue("1s") Duration maxWait) {

		static final RateLimit DEFAULT = new RateLimit(300, Duration.ofSeconds(1));

	}

}
