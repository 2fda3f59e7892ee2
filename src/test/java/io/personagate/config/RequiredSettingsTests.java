package io.personagate.config;

import java.util.HashMap;
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
 * The production service refuses to start without the settings it cannot do without, and
 * says which are missing and what to do, all at once. Nothing here reaches a database:
 * the refusal comes before any connection is made.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequiredSettingsTests {

	private static final Map<String, Object> DATABASE = Map.of("spring.r2dbc.url",
			"r2dbc:postgresql://127.0.0.1:1/gate", "spring.flyway.url", "jdbc:postgresql://127.0.0.1:1/gate");

	private static final Map<String, Object> TEMPLATE = Map.of("gate.templates[0].id",
			"itmpl_GateTest0000000000000001");

	private static final Map<String, Object> TOKENS = Map.of(
			"spring.security.oauth2.resourceserver.jwt.public-key-location", "classpath:jwt/test-signing-key.pub.pem",
			"spring.security.oauth2.resourceserver.jwt.audiences", "persona-gate-test");

	@Test
	void refusesToStartWithoutADatabaseUrl(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSettingsException.class).isThrownBy(() -> start(TEMPLATE, TOKENS))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.r2dbc.url", "spring.flyway.url"))
			.withMessageContaining("spring.r2dbc.url (environment variable SPRING_R2DBC_URL)");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("spring.r2dbc.url (environment variable SPRING_R2DBC_URL) is not set: the database the service")
			.contains("spring.flyway.url (environment variable SPRING_FLYWAY_URL) is not set")
			.doesNotContain("embedded database");
	}

	@Test
	void refusesToStartWithABlankDatabaseUrl() {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> start(TEMPLATE, TOKENS,
					Map.of("spring.r2dbc.url", " ", "spring.flyway.url", "jdbc:postgresql://127.0.0.1:1/gate")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.r2dbc.url"));
	}

	@Test
	void refusesToStartWithoutTheMigrationsDatabaseUrl() {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(
					() -> start(TEMPLATE, TOKENS, Map.of("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:1/gate")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.flyway.url"))
			.withMessageContaining("SPRING_FLYWAY_URL");
	}

	@Test
	void refusesToStartWithoutAGatedTemplate(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSettingsException.class).isThrownBy(() -> start(DATABASE, TOKENS))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("gate.templates[0].id"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains(
					"gate.templates[0].id (environment variable GATE_TEMPLATES_0_ID) is not set: no template is gated")
			.contains("GATE_TEMPLATES_1_ID");
	}

	@Test
	void namesATemplateSettingThatIsMisspelt(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> start(DATABASE, TOKENS, Map.of("gate.template[0].id", "itmpl_GateTest0000000000000001")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("gate.templates[0].id"));
		assertThat(output)
			.contains("gate.template[0].id is set but is no setting: the setting is gate.templates[<n>].id");
	}

	@Test
	void refusesToStartWithoutAWayToCheckTokens(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSettingsException.class).isThrownBy(() -> start(DATABASE, TEMPLATE))
			.satisfies((ex) -> assertThat(ex.properties())
				.containsExactly("spring.security.oauth2.resourceserver.jwt.issuer-uri"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI")
			.contains("jwk-set-uri")
			.doesNotContain("required a bean of type");
	}

	@Test
	void refusesToStartWhenTokensAreCheckedForNoAudience(CapturedOutput output) {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> start(DATABASE, TEMPLATE,
					Map.of("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "http://127.0.0.1:1/jwks")))
			.satisfies((ex) -> assertThat(ex.properties())
				.containsExactly("spring.security.oauth2.resourceserver.jwt.audiences"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES")
			.contains("gate.jwt.accept-any-audience=true (GATE_JWT_ACCEPTANYAUDIENCE)");
	}

	@Test
	void namesEverySettingMissingAtOnce() {
		assertThatExceptionOfType(InvalidSettingsException.class).isThrownBy(() -> start(Map.of()))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("spring.r2dbc.url", "spring.flyway.url",
					"gate.templates[0].id", "spring.security.oauth2.resourceserver.jwt.issuer-uri"));
	}

	@SafeVarargs
	private static void start(Map<String, Object>... settings) {
		Map<String, Object> properties = new HashMap<>(Map.of("server.port", "0", "persona.api-key", "test-api-key"));
		for (Map<String, Object> part : settings) {
			properties.putAll(part);
		}
		new SpringApplicationBuilder(GateApplication.class).properties(properties).run().close();
	}

}
