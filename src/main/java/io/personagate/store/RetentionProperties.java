package io.personagate.store;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the webhook journal and the audit trail are kept, so that no flood of events
 * or requests can grow the database for ever ({@link RetentionPurge}).
 *
 * @param webhookEvents how long an applied event's id is kept (webhook_event), to know a
 * redelivery: well past Persona's redeliveries (about 51 hours) and reconciliation's
 * lookback
 * @param audit how long a row of the audit trail (gate_audit) is kept
 * @param interval how often each instance tries to purge; one at a time does; 0 turns it
 * off
 * @param batchSize rows deleted per statement
 */
@Validated
@ConfigurationProperties("gate.retention")
public record RetentionProperties(@DefaultValue("30d") @NotNull @DurationMin(days = 3,
		message = "must be at least 3 days: Persona redelivers an event for about 51 hours") Duration webhookEvents,
		@DefaultValue("400d") @NotNull @DurationMin(days = 1, message = "must be at least a day") Duration audit,
		@DefaultValue("1h") @NotNull @DurationMin(message = "must not be negative") Duration interval,
		@DefaultValue("1000") @Min(1) @Max(100_000) int batchSize) {

	public boolean enabled() {
		return !this.interval.isZero();
	}

}
