package io.personagate.config;

import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service as an operator starts it: health with the database, and refusal to start
 * half-configured.
 */
class ApplicationStartupTests {

	private static final FakePersona persona = new FakePersona();

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void healthIsPublicAndIncludesTheDatabase() {
		try (ConfigurableApplicationContext context = start(Map.of())) {
			WebTestClient.bindToServer()
				.baseUrl(GateInstances.baseUrl(context))
				.build()
				.get()
				.uri("/actuator/health")
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
	void refusesToStartWithATemplateIdOfNeitherKind() {
		assertThatThrownBy(() -> start(Map.of("gate.templates[0].id", "inq_NotATemplate")).close())
			.hasStackTraceContaining("must start with 'itmpl_'");
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
