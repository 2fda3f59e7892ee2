package io.personagate.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.personagate.support.FakeIdentityProvider;
import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The identity provider down before the service ever had its keys: no token can be
 * checked. The service says so (503, and readiness DOWN) instead of failing every request
 * with 500, and serves again by itself once the keys can be fetched. (Down after its keys
 * were fetched, it is no outage: TokenKeyFetchesTests.)
 */
// no other test class shares its settings: closed after it, not at exit after the
// embedded PostgreSQL has stopped
@DirtiesContext
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gate.jwt.keys-check-interval=100ms", "gate.jwt.keys-fetch-interval=100ms" })
@ExtendWith(OutputCaptureExtension.class)
class TokenKeysOutageTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final FakeIdentityProvider identityProvider = new FakeIdentityProvider();

	static {
		// down from the start: this class's instance never gets the keys before its test
		identityProvider.unavailable(true);
	}

	private static final String GATE = "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }";

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "");
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", identityProvider::issuer);
	}

	@AfterAll
	static void stop() {
		persona.close();
		identityProvider.close();
	}

	@BeforeEach
	void reset() {
		persona.reset();
	}

	@Test
	void anIssuerThatCannotBeReachedBeforeAnyKeyWasFetchedAnswers503AndIsNotReadyUntilItCanBe(CapturedOutput output) {
		identityProvider.unavailable(true);

		post(this.port).expectStatus().isEqualTo(503).expectBody().jsonPath("$.status").isEqualTo(503);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> readiness(this.port).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DOWN"));
		liveness(this.port).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
		assertThat(persona.calls()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
		// the change to DOWN was logged when the instance started (the other test sees
		// it)
		assertThat(output).doesNotContain("HTTP 500");

		identityProvider.unavailable(false);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> readiness(this.port).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP"));
		post(this.port).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void keysThatCannotBeFetchedFromTheirOwnUriAnswer503(CapturedOutput output) {
		identityProvider.unavailable(true);
		try (ConfigurableApplicationContext instance = GateInstances.start(persona, database,
				"--spring.security.oauth2.resourceserver.jwt.public-key-location=",
				"--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + identityProvider.jwkSetUri(),
				"--gate.jwt.keys-check-interval=100ms", "--gate.jwt.keys-fetch-interval=100ms")) {
			int port = GateInstances.port(instance);

			post(port).expectStatus().isEqualTo(503);
			readiness(port).expectStatus().isEqualTo(503);
			assertThat(output).contains("token keys cannot be fetched from " + identityProvider.jwkSetUri())
				.doesNotContain("HTTP 500");

			identityProvider.unavailable(false);

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> readiness(port).expectStatus().isOk());
			post(port).expectStatus().isOk();
		}
	}

	private static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(15))
			.build();
	}

	private static WebTestClient.ResponseSpec post(int port) {
		return client(port).post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens
				.sign(Map.of("sub", "user-keys", "iss", identityProvider.issuer()), Instant.now().plusSeconds(600))))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", GATE))
			.exchange();
	}

	private static WebTestClient.ResponseSpec readiness(int port) {
		return client(port).get().uri("/actuator/health/readiness").exchange();
	}

	private static WebTestClient.ResponseSpec liveness(int port) {
		return client(port).get().uri("/actuator/health/liveness").exchange();
	}

}
