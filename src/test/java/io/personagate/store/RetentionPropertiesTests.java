package io.personagate.store;

import java.time.Duration;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPropertiesTests {

	private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

	@Test
	void theDefaultsAreValid() {
		assertThat(this.validator
			.validate(new RetentionProperties(Duration.ofDays(30), Duration.ofDays(400), Duration.ofHours(1), 1000)))
			.isEmpty();
	}

	@Test
	void webhookEventsAreKeptLongerThanPersonaRedeliversThem() {
		assertThat(this.validator
			.validate(new RetentionProperties(Duration.ofHours(51), Duration.ofDays(400), Duration.ofHours(1), 1000)))
			.extracting(ConstraintViolation::getMessage)
			.containsExactly("must be at least 3 days: Persona redelivers an event for about 51 hours");
	}

	@Test
	void auditBatchesAndIntervalAreBounded() {
		assertThat(this.validator
			.validate(new RetentionProperties(Duration.ofDays(30), Duration.ofHours(1), Duration.ofSeconds(-1), 0)))
			.extracting((violation) -> violation.getPropertyPath().toString())
			.containsExactlyInAnyOrder("audit", "interval", "batchSize");
	}

}
