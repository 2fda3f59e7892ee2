package io.personagate.persona;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Watches for Persona refusing this service's API key (401/403): a fault of
 * configuration, not of any user. Logs it at error level at most once per
 * {@code persona.auth-failure-log-interval}, and reports the {@code persona} health
 * component DOWN until a call succeeds again.
 */
@Component("persona")
public class PersonaCredentials implements HealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(PersonaCredentials.class);

	private final Duration logInterval;

	private final Clock clock;

	private final AtomicReference<Instant> refusedSince = new AtomicReference<>();

	private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.EPOCH);

	private volatile int lastStatus;

	public PersonaCredentials(PersonaProperties properties, Clock clock) {
		this.logInterval = properties.authFailureLogInterval();
		this.clock = clock;
	}

	void refused(int status, String requestId) {
		Instant now = this.clock.instant();
		this.refusedSince.compareAndSet(null, now);
		this.lastStatus = status;
		Instant logged = this.lastLogged.get();
		if (Duration.between(logged, now).compareTo(this.logInterval) >= 0
				&& this.lastLogged.compareAndSet(logged, now)) {
			logger.error("Persona refused this service's API key (HTTP {}, Request-Id {}): check persona.api-key "
					+ "(env PERSONA_API_KEY). Gate requests fail until it is fixed.", status, requestId);
		}
	}

	void accepted() {
		if (this.refusedSince.getAndSet(null) != null) {
			logger.info("Persona accepts this service's API key again");
		}
	}

	@Override
	public Health health() {
		Instant since = this.refusedSince.get();
		if (since == null) {
			return Health.up().build();
		}
		return Health.down()
			.withDetail("reason", "Persona refused the API key")
			.withDetail("status", this.lastStatus)
			.withDetail("since", since.toString())
			.build();
	}

}
