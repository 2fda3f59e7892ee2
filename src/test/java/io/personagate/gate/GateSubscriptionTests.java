package io.personagate.gate;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.client.GraphQlTransportException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live updates across instances: a webhook received by instance A reaches a subscriber
 * connected to instance B through PostgreSQL LISTEN/NOTIFY.
 */
class GateSubscriptionTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final String SUBSCRIPTION = """
			subscription($templateId: ID!) {
			  verificationGateChanged(templateId: $templateId) { decision reason inquiryId inquiryStatus checkedAt }
			}
			""";

	private static final FakePersona persona = new FakePersona();

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	@BeforeAll
	static void startTwoInstances() {
		instanceA = start();
		instanceB = start();
	}

	@AfterAll
	static void stop() {
		instanceA.close();
		instanceB.close();
		persona.close();
	}

	@BeforeEach
	void reset() {
		IntegrationTestSupport.database().clear();
		persona.reset();
	}

	@Test
	void approvalArrivingAtOneInstanceReachesASubscriberOnTheOther() {
		FakePersona.FakeInquiry pending = persona.seed("user-live", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));
		byte[] approved = PersonaWebhooks.event("approved", "evt_live", pending.id, "user-live", TEMPLATE,
				Instant.now());

		Flux<Map<String, Object>> gates = subscriber(instanceB, TestTokens.forUser("user-live"));

		StepVerifier.create(gates).assertNext((gate) -> {
			assertThat(gate).containsEntry("decision", "RESUME").containsEntry("inquiryId", pending.id);
		}).then(() -> postWebhook(instanceA, approved)).assertNext((gate) -> {
			assertThat(gate).containsEntry("decision", "ALLOW")
				.containsEntry("reason", "APPROVED")
				.containsEntry("inquiryStatus", "APPROVED");
		}).thenCancel().verify(Duration.ofSeconds(10));

		assertThat(queryDecision(instanceB, "user-live")).isEqualTo("ALLOW");
		assertThat(queryDecision(instanceA, "user-live")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void theChangeArrivesWithinASecond() {
		FakePersona.FakeInquiry pending = persona.seed("user-fast", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));
		byte[] declined = PersonaWebhooks.event("declined", "evt_fast", pending.id, "user-fast", TEMPLATE,
				Instant.now());

		StepVerifier.create(subscriber(instanceB, TestTokens.forUser("user-fast")))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "RESUME"))
			.then(() -> postWebhook(instanceA, declined))
			.expectNextMatches((gate) -> "DENY".equals(gate.get("decision")))
			.thenCancel()
			.verify(Duration.ofSeconds(1).plusMillis(500));
	}

	@Test
	void anotherUsersSubscriptionReceivesNothing() {
		FakePersona.FakeInquiry pending = persona.seed("user-one", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));
		byte[] approved = PersonaWebhooks.event("approved", "evt_other_user", pending.id, "user-one", TEMPLATE,
				Instant.now());

		StepVerifier.create(subscriber(instanceB, TestTokens.forUser("user-two")))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "START"))
			.then(() -> postWebhook(instanceA, approved))
			.expectNoEvent(Duration.ofSeconds(2))
			.thenCancel()
			.verify(Duration.ofSeconds(10));

		assertThat(IntegrationTestSupport.database()
			.string("select status from persona_inquiry where inquiry_id = ?", pending.id)).isEqualTo("approved");
	}

	@Test
	void noTokenNoSubscription() {
		WebSocketGraphQlClient client = WebSocketGraphQlClient
			.builder(wsUrl(instanceB), new ReactorNettyWebSocketClient())
			.build();

		StepVerifier
			.create(client.document(SUBSCRIPTION)
				.variable("templateId", TEMPLATE)
				.retrieveSubscription("verificationGateChanged")
				.toEntity(Map.class))
			.expectError(GraphQlTransportException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(persona.requests()).isEmpty();
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Flux<Map<String, Object>> subscriber(ConfigurableApplicationContext instance, String token) {
		WebSocketGraphQlClient client = WebSocketGraphQlClient
			.builder(wsUrl(instance), new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			})
			.build();
		return (Flux) client.document(SUBSCRIPTION)
			.variable("templateId", TEMPLATE)
			.retrieveSubscription("verificationGateChanged")
			.toEntity(Map.class);
	}

	private static void postWebhook(ConfigurableApplicationContext instance, byte[] body) {
		WebClient.create(baseUrl(instance))
			.post()
			.uri("/webhooks/persona")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Persona-Signature", PersonaWebhooks.sign(body))
			.bodyValue(body)
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(5));
	}

	@SuppressWarnings("unchecked")
	private static String queryDecision(ConfigurableApplicationContext instance, String user) {
		Map<String, Object> response = WebClient.create(baseUrl(instance))
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
			.retrieve()
			.bodyToMono(Map.class)
			.block(Duration.ofSeconds(5));
		return (String) ((Map<String, Object>) ((Map<String, Object>) response.get("data")).get("verificationGate"))
			.get("decision");
	}

	private static String baseUrl(ConfigurableApplicationContext instance) {
		return GateInstances.baseUrl(instance);
	}

	private static URI wsUrl(ConfigurableApplicationContext instance) {
		return URI.create("ws://127.0.0.1:" + GateInstances.port(instance) + "/graphql");
	}

	private static ConfigurableApplicationContext start() {
		return GateInstances.start(persona, IntegrationTestSupport.database());
	}

}
