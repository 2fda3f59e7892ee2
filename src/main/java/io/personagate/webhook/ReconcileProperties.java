package io.personagate.webhook;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reconciliation: reading Persona's event list ({@code GET /events}) to catch the changes
 * whose webhooks never arrived.
 *
 * @param interval how often each instance tries to run it; 0 turns it off
 * @param pageSize events asked for per page (Persona allows 1 to 100)
 * @param maxPages pages read per run at most; a longer backlog is read over the next runs
 * @param lookback how far back the very first run reads
 * @param lease how long a run may hold the lease before another instance may take over
 */
@Validated
@ConfigurationProperties("gate.reconcile")
public record ReconcileProperties(@DefaultValue("5m") @NotNull Duration interval,
		@DefaultValue("100") @Min(1) @Max(100) int pageSize, @DefaultValue("20") @Min(1) int maxPages,
		@DefaultValue("24h") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration lookback,
		@DefaultValue("5m") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration lease) {

	public boolean enabled() {
		return !this.interval.isZero() && !this.interval.isNegative();
	}

}
