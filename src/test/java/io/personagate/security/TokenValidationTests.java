package io.personagate.security;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.personagate.support.FakeIdentityProvider;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens are for this service: with the keys at {@code jwk-set-uri} and the issuer given
 * too, a token passes only with this issuer, this service's audience and an expiry.
 * Through {@code POST /graphql} on a real server; a refused token costs Persona nothing
 * and leaves no row.
 */
// no other test class shares its settings: closed after it, not at exit after the
// embedded PostgreSQL has stopped
@DirtiesContext
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class TokenValidationTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final FakeIdentityProvider identityProvider = new FakeIdentityProvider();

	private static final String GATE = "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }";

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "");
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", identityProvider::jwkSetUri);
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
	void aTokenFromTheIssuerForThisServiceIsServed() {
		post(token(Map.of("iss", identityProvider.issuer()))).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(identityProvider.keyRequests()).isPositive();
	}

	@Test
	void aTokenFromAnotherIssuerIsRefused() {
		assertRefused(token(Map.of("iss", "https://other-issuer.example/")));
	}

	@Test
	void aTokenWithoutAnIssuerIsRefused() {
		assertRefused(token(Map.of()));
	}

	@Test
	void aTokenForAnotherApplicationIsRefused() {
		assertRefused(token(Map.of("iss", identityProvider.issuer(), "aud", "another-application")));
	}

	@Test
	void aTokenForNoApplicationIsRefused() {
		Map<String, Object> claims = new HashMap<>(Map.of("iss", identityProvider.issuer()));
		claims.put("aud", null);
		assertRefused(token(claims));
	}

	@Test
	void aTokenThatNeverExpiresIsRefused() {
		Map<String, Object> claims = new HashMap<>(Map.of("sub", "user-tokens", "iss", identityProvider.issuer()));
		assertRefused(TestTokens.sign(claims, null));
	}

	private void assertRefused(String token) {
		post(token).expectStatus().isUnauthorized().expectHeader().valueMatches("WWW-Authenticate", "Bearer.*");
		assertThat(persona.calls()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	private static String token(Map<String, Object> claims) {
		Map<String, Object> all = new HashMap<>(claims);
		all.put("sub", "user-tokens");
		return TestTokens.sign(all, Instant.now().plusSeconds(600));
	}

	private WebTestClient.ResponseSpec post(String token) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(15))
			.build()
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", GATE))
			.exchange();
	}

}
