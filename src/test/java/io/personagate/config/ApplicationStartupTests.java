package io.personagate.config;

import java.time.Duration;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The service as an operator starts it: health with the database, and refusal to start
 * half-configured.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApplicationStartupTests {

	private static final FakePersona persona = new FakePersona();

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void healthIncludesTheDatabaseForAMonitor() {
		try (ConfigurableApplicationContext context = start(Map.of())) {
			awaitReady(context);
			WebTestClient.bindToServer()
				.baseUrl(GateInstances.baseUrl(context))
				.build()
				.get()
				.uri("/actuator/health")
				.headers((headers) -> headers.setBearerAuth(TestTokens.monitor()))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.components.r2dbc.status")
				.isEqualTo("UP");
		}
	}

	@Test
	void refusesToStartWithoutAPersonaApiKey() {
		assertThatThrownBy(() -> start(Map.of("persona.api-key", "")).close())
			.hasStackTraceContaining("persona.api-key");
	}

	@Test
	void refusesToStartWithATemplateIdOfNeitherKind(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("gate.templates[0].id", "inq_NotATemplate")).close())
			.hasStackTraceContaining("gate.templates[0].id");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: gate.templates[0].id")
			.contains("must be a Persona template id: 'itmpl_' or 'tmpl_' followed by 1 to 64 letters or digits");
	}

	@Test
	void refusesToStartWithADurationItCannotRead(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("gate.cache.ttl", "5 minutes")).close())
			.hasStackTraceContaining("gate.cache.ttl");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: gate.cache.ttl")
			.contains("'5 minutes' is not a valid duration");
	}

	@Test
	void refusesToStartWithADurationThatMustBePositive(CapturedOutput output) {
		assertThatThrownBy(() -> start(Map.of("gate.lock.lease", "-30s")).close())
			.hasStackTraceContaining("gate.lock.lease");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: gate.lock.lease")
			.contains("must be positive");
	}

	@Test
	void refusesToStartWithTemplatesThatSatisfyEachOther(CapturedOutput output) {
		assertThatThrownBy(() -> start(
				Map.of("gate.templates[0].id", "itmpl_Basic", "gate.templates[0].satisfied-by[0]", "itmpl_Enhanced",
						"gate.templates[1].id", "itmpl_Enhanced", "gate.templates[1].satisfied-by[0]", "itmpl_Basic"))
			.close()).hasStackTraceContaining("gate.templates[0].satisfied-by[0]");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("gate.templates[0].satisfied-by[0]")
			.contains("makes a cycle");
	}

	@Test
	void refusesToStartWithGraphQlLimitsThatLetNothingThrough() {
		assertThatThrownBy(() -> start(Map.of("gate.graphql.max-depth", "0")).close())
			.hasStackTraceContaining("gate.graphql.maxDepth");
		assertThatThrownBy(() -> start(Map.of("gate.graphql.max-complexity", "0")).close())
			.hasStackTraceContaining("gate.graphql.maxComplexity");
		assertThatThrownBy(() -> start(Map.of("gate.graphql.max-request-size", "0B")).close())
			.hasStackTraceContaining("gate.graphql.max-request-size must be positive");
	}

	/** Ready once the instance listens for changes, a moment after it has started. */
	private static void awaitReady(ConfigurableApplicationContext context) {
		WebTestClient client = WebTestClient.bindToServer().baseUrl(GateInstances.baseUrl(context)).build();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
	}

	private static ConfigurableApplicationContext start(Map<String, Object> overrides) {
		String[] args = overrides.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = GateInstances.start(persona, IntegrationTestSupport.database(), args);
		assertThat(context.isActive()).isTrue();
		return context;
	}

}
