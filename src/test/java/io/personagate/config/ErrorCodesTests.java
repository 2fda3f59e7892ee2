package io.personagate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every GraphQL error carries {@code extensions.code}, equal to its
 * {@code extensions.classification}, as Apollo and urql clients expect: the gate's own
 * errors, graphql-java's (syntax, validation, refused operations), over HTTP and in a
 * subscription over WebSocket.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ErrorCodesTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private WebTestClient webTestClient;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void gateErrorsCarryTheirClassificationAsCodeBesideTheCorrelationId() {
		error("{ verificationGate(templateId: \"itmpl_NotGated00000000000001\") { decision } }", Map.of())
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("BAD_REQUEST")
			.jsonPath("$.errors[0].extensions.classification")
			.isEqualTo("BAD_REQUEST")
			.jsonPath("$.errors[0].extensions.correlationId")
			.isNotEmpty();
		assertThat(persona.requests()).isEmpty();

		persona.failAll(FakePersona.error(503, "Service Unavailable", "down"));
		error("{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }", Map.of())
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("UPSTREAM_UNAVAILABLE")
			.jsonPath("$.errors[0].extensions.classification")
			.isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(persona.listCalls()).isPositive();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void syntaxValidationAndRefusedOperationsCarryACode() {
		error("{ verificationGate(templateId: ", Map.of()).jsonPath("$.errors[0].extensions.code")
			.isEqualTo("InvalidSyntax");
		error("{ verificationGate(templateId: \"" + TEMPLATE + "\") { noSuchField } }", Map.of())
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("ValidationError")
			.jsonPath("$.errors[0].extensions.classification")
			.isEqualTo("ValidationError");
		error(document("tooDeep"), Map.of("templateId", TEMPLATE)).jsonPath("$.errors[0].extensions.code")
			.isEqualTo("QUERY_TOO_DEEP");

		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void subscriptionErrorsCarryACode() {
		WebSocketGraphQlClient client = WebSocketGraphQlClient
			.builder(URI.create("ws://127.0.0.1:" + this.port + "/graphql"), new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + TestTokens.forUser("user-codes")));
				}
			})
			.build();
		try {
			StepVerifier
				.create(client
					.document("subscription { verificationGateChanged(templateId: \"itmpl_NotGated00000000000001\") "
							+ "{ decision } }")
					.retrieveSubscription("verificationGateChanged")
					.toEntity(Map.class))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(SubscriptionErrorException.class,
						(error) -> assertThat(error.getErrors()).singleElement()
							.satisfies((e) -> assertThat(e.getExtensions()).containsEntry("code", "BAD_REQUEST"))))
				// a bound, not a wait: the first WebSocket of a freshly started instance
				.verify(Duration.ofSeconds(30));
		}
		finally {
			client.stop().block(Duration.ofSeconds(5));
		}
		assertThat(persona.requests()).isEmpty();
	}

	private WebTestClient.BodyContentSpec error(String query, Map<String, Object> variables) {
		return this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-codes")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", query, "variables", variables))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors[0].message")
			.isNotEmpty();
	}

	private static String document(String name) {
		try {
			return new ClassPathResource("graphql-test/" + name + ".graphql")
				.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
