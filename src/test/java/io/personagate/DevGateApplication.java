package io.personagate;

import io.personagate.dev.DevConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * Development mode: the service with an embedded PostgreSQL, the Persona emulator and dev
 * sign-in, for a machine with only a JDK. Run it with
 * {@code ./mvnw spring-boot:test-run}. None of it is in the packaged service: it lives
 * with the tests.
 */
public final class DevGateApplication {

	/**
	 * The profile that turns development mode on (its settings:
	 * {@code application-dev.yml}).
	 */
	public static final String PROFILE = "dev";

	private DevGateApplication() {
	}

	public static void main(String[] args) {
		run(args);
	}

	/** Starts development mode as {@link #main} does; tests use it too. */
	public static SpringApplication.Running run(String... args) {
		return SpringApplication.from(GateApplication::main)
			.with(DevConfiguration.class)
			.withAdditionalProfiles(PROFILE)
			.run(args);
	}

}
