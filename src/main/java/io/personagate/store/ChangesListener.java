package io.personagate.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code listen} health component, part of readiness: UP while this instance listens
 * for changes made by the others ({@link GateChanges}), DOWN while it does not and so
 * could serve answers they have changed.
 */
@Component("listen")
class ChangesListener implements HealthIndicator {

	private final GateChanges changes;

	ChangesListener(GateChanges changes) {
		this.changes = changes;
	}

	@Override
	public Health health() {
		return (this.changes.session() != 0) ? Health.up().build()
				: Health.down().withDetail("reason", "not listening on '" + GateChanges.CHANNEL + "'").build();
	}

}
