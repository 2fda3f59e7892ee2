package io.personagate.config;

import java.util.Map;

import io.personagate.GateApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The production service refuses to start without its database settings, and says which
 * are missing. Nothing here reaches a database: the refusal comes before any connection
 * is made.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequiredDatabaseSettingsTests {

	private static final Map<String, Object> OTHERWISE_COMPLETE = Map.of("server.port", "0", "persona.api-key",
			"test-api-key", "gate.templates[0].id", "itmpl_GateTest0000000000000001",
			"spring.security.oauth2.resourceserver.jwt.public-key-location", "classpath:jwt/test-signing-key.pub.pem");

	@Test
	void refusesToStartWithoutADatabaseUrl(CapturedOutput output) {
		assertThatExceptionOfType(MissingDatabaseSettingsException.class).isThrownBy(() -> start(Map.of()))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.r2dbc.url", "spring.flyway.url"))
			.withMessageContaining("spring.r2dbc.url (environment variable SPRING_R2DBC_URL)");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("spring.r2dbc.url (environment variable SPRING_R2DBC_URL): the database the service reads")
			.contains("spring.flyway.url (environment variable SPRING_FLYWAY_URL)")
			.doesNotContain("embedded database");
	}

	@Test
	void refusesToStartWithABlankDatabaseUrl() {
		assertThatExceptionOfType(MissingDatabaseSettingsException.class).isThrownBy(
				() -> start(Map.of("spring.r2dbc.url", " ", "spring.flyway.url", "jdbc:postgresql://127.0.0.1:1/gate")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.r2dbc.url"));
	}

	@Test
	void refusesToStartWithoutTheMigrationsDatabaseUrl() {
		assertThatExceptionOfType(MissingDatabaseSettingsException.class)
			.isThrownBy(() -> start(Map.of("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:1/gate")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.flyway.url"))
			.withMessageContaining("SPRING_FLYWAY_URL");
	}

	private static void start(Map<String, Object> database) {
		Map<String, Object> properties = new java.util.HashMap<>(OTHERWISE_COMPLETE);
		properties.putAll(database);
		new SpringApplicationBuilder(GateApplication.class).properties(properties).run().close();
	}

}
