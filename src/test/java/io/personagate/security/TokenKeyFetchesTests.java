package io.personagate.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.personagate.support.FakeIdentityProvider;
import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.GraphQlSocket;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an anonymous caller can make the service ask of the identity provider: tokens with
 * a key id it does not know (forged: random key id, random signature) cost at most one
 * read of the key set per {@code gate.jwt.keys-fetch-interval}, over HTTP and WebSocket
 * alike; and an identity provider that throttles (429) while the keys it gave still check
 * tokens leaves the service ready and serving.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenKeyFetchesTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final String GATE = "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }";

	private static final SecureRandom random = new SecureRandom();

	private static final FakePersona persona = new FakePersona();

	private static final FakeIdentityProvider identityProvider = new FakeIdentityProvider();

	@AfterAll
	static void stop() {
		persona.close();
		identityProvider.close();
	}

	@BeforeEach
	void reset() {
		persona.reset();
		identityProvider.throttling(false);
	}

	@Test
	void forgedTokensWithUnknownKeyIdsReadTheKeySetAtMostOncePerInterval() {
		long atStart = identityProvider.keyRequests();
		try (ConfigurableApplicationContext instance = start("--gate.jwt.keys-fetch-interval=1h")) {
			int port = GateInstances.port(instance);
			post(port, valid()).expectStatus().isOk();
			long before = identityProvider.keyRequests();

			List<HttpStatusCode> answers = Flux.range(0, 500)
				.flatMap((i) -> WebClient.create("http://127.0.0.1:" + port)
					.post()
					.uri("/graphql")
					.headers((headers) -> headers.setBearerAuth(forged()))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Map.of("query", GATE))
					.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode())), 32)
				.collectList()
				.block(Duration.ofSeconds(60));
			List<GraphQlSocket> sockets = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				sockets.add(GraphQlSocket.open(port, forged()));
			}
			for (GraphQlSocket socket : sockets) {
				try (socket) {
					assertThat(socket.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
				}
			}

			assertThat(answers).hasSize(500).allMatch((status) -> status.value() == 401);
			assertThat(identityProvider.keyRequests() - atStart)
				.as("reads of the key set: one, before the forged tokens")
				.isEqualTo(1);
			assertThat(identityProvider.keyRequests()).isEqualTo(before);
			post(port, valid()).expectStatus().isOk();
			assertThat(persona.listCalls()).as("the forged tokens cost Persona nothing").isEqualTo(1);
		}
	}

	@Test
	void anIdentityProviderThatThrottlesLeavesTheServiceReadyWhileItsKeysStillCheckTokens(CapturedOutput output) {
		try (ConfigurableApplicationContext instance = start("--gate.jwt.keys-fetch-interval=100ms",
				"--gate.jwt.keys-check-interval=100ms")) {
			int port = GateInstances.port(instance);
			post(port, valid()).expectStatus().isOk();

			identityProvider.throttling(true);
			long before = identityProvider.throttled();
			List<Integer> readiness = new ArrayList<>();
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				readiness.add(client(port).get()
					.uri("/actuator/health/readiness")
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value());
				return identityProvider.throttled() >= before + 3;
			});

			assertThat(readiness).as("readiness while the key set was answered 429").isNotEmpty().containsOnly(200);
			post(port, valid()).expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.data.verificationGate.decision")
				.isEqualTo("START");
			post(port, forged()).expectStatus().isUnauthorized();
			assertThat(output).containsOnlyOnce("could not be read (HTTP 429)").doesNotContain("cannot be fetched");
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		List<String> all = new ArrayList<>(List.of("--spring.security.oauth2.resourceserver.jwt.public-key-location=",
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + identityProvider.issuer()));
		all.addAll(List.of(args));
		return GateInstances.start(persona, IntegrationTestSupport.database(), all.toArray(String[]::new));
	}

	private static String valid() {
		return TestTokens.sign(Map.of("sub", "user-key-fetches", "iss", identityProvider.issuer()),
				Instant.now().plusSeconds(600));
	}

	/** A token no key signed: a random key id and a random signature. */
	private static String forged() {
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
			.keyID(UUID.randomUUID().toString())
			.build();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("attacker")
			.issuer(identityProvider.issuer())
			.audience(TestTokens.AUDIENCE)
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.build();
		byte[] signature = new byte[256];
		random.nextBytes(signature);
		return header.toBase64URL() + "." + Base64URL.encode(claims.toString()) + "." + Base64URL.encode(signature);
	}

	private static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(15))
			.build();
	}

	private static WebTestClient.ResponseSpec post(int port, String token) {
		return client(port).post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", GATE))
			.exchange();
	}

}
