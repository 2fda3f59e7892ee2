package io.personagate.config;

import java.time.Duration;
import java.util.Map;

import io.personagate.store.GateChanges;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the orchestrator and the operators see: liveness is the process, readiness is
 * PostgreSQL, the {@code LISTEN} connection and the token keys (never Persona), both
 * answer anyone with their status alone; components, details, metrics and build
 * information need a token with the monitoring scope.
 */
// no other test class shares its settings: closed after it, not at exit after the
// embedded PostgreSQL has stopped
@DirtiesContext
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ProbesTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String GATE = "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }";

	@LocalServerPort
	private int port;

	@Autowired
	private GateChanges changes;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@BeforeEach
	void reset() {
		persona.reset();
		// ready once the instance listens for changes, a moment after it has started
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> get("/actuator/health/readiness", null).expectStatus().isOk());
	}

	@Test
	void livenessAndReadinessAnswerAnyoneWithTheirStatusAlone() {
		get("/actuator/health/liveness", null).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
		get("/actuator/health/readiness", null).expectStatus()
			.isOk()
			.expectBody()
			.json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
		get("/actuator/health", null).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components")
			.doesNotExist();
	}

	@Test
	void healthComponentsNeedTheMonitoringScope() {
		get("/actuator/health", TestTokens.forUser("user-probes")).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components")
			.doesNotExist();
		get("/actuator/health/r2dbc", null).expectStatus().isUnauthorized();
		get("/actuator/health/r2dbc", TestTokens.forUser("user-probes")).expectStatus().isForbidden();

		get("/actuator/health", TestTokens.monitor()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.r2dbc.status")
			.isEqualTo("UP")
			.jsonPath("$.components.listen.status")
			.isEqualTo("UP")
			.jsonPath("$.components.tokenKeys.status")
			.isEqualTo("UP")
			.jsonPath("$.components.persona.status")
			.isEqualTo("UP");
		get("/actuator/health/readiness", TestTokens.monitor()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.length()")
			.isEqualTo(4)
			.jsonPath("$.components.readinessState.status")
			.isEqualTo("UP")
			.jsonPath("$.components.r2dbc.status")
			.isEqualTo("UP")
			.jsonPath("$.components.listen.status")
			.isEqualTo("UP")
			.jsonPath("$.components.tokenKeys.status")
			.isEqualTo("UP");
		get("/actuator/health/liveness", TestTokens.monitor()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.length()")
			.isEqualTo(1)
			.jsonPath("$.components.livenessState.status")
			.isEqualTo("UP");
	}

	@Test
	void metricsAndBuildInformationNeedTheMonitoringScope() {
		get("/actuator/prometheus", null).expectStatus().isUnauthorized();
		get("/actuator/prometheus", TestTokens.forUser("user-probes")).expectStatus().isForbidden();
		get("/actuator/info", null).expectStatus().isUnauthorized();
		get("/actuator", null).expectStatus().isUnauthorized();

		String metrics = get("/actuator/prometheus", TestTokens.monitor()).expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_count");

		WebTestClient.BodyContentSpec info = get("/actuator/info", TestTokens.monitor()).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.build.artifact")
			.isEqualTo("persona-gate")
			.jsonPath("$.build.version")
			.isNotEmpty();
		if (new ClassPathResource("git.properties").exists() && hasCommit()) {
			info.jsonPath("$.git.commit.id").isNotEmpty();
		}
	}

	@Test
	void readinessLeavesPersonaOut() {
		persona.failNext(FakePersona.error(401, "Unauthorized", "bad key"));
		post(GATE);

		get("/actuator/health", TestTokens.monitor()).expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.persona.status")
			.isEqualTo("DOWN");
		get("/actuator/health/readiness", null).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		get("/actuator/health/liveness", null).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");

		assertThat(post(GATE)).contains("START");
	}

	@Test
	void readinessIsDownWhileTheInstanceIsNotListeningForChanges() {
		this.changes.stop();
		try {
			get("/actuator/health/readiness", null).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DOWN");
			get("/actuator/health/readiness", TestTokens.monitor()).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.components.listen.status")
				.isEqualTo("DOWN")
				.jsonPath("$.components.r2dbc.status")
				.isEqualTo("UP");
			get("/actuator/health/liveness", null).expectStatus().isOk();
		}
		finally {
			this.changes.start();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> get("/actuator/health/readiness", null).expectStatus().isOk());
	}

	private static boolean hasCommit() {
		try (var in = new ClassPathResource("git.properties").getInputStream()) {
			java.util.Properties properties = new java.util.Properties();
			properties.load(in);
			return properties.containsKey("git.commit.id");
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(15))
			.build();
	}

	private WebTestClient.ResponseSpec get(String path, String token) {
		return client().get().uri(path).headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		}).exchange();
	}

	private String post(String query) {
		return client().post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-probes")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", query))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

}
