package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.support.GateInstances;
import io.personagate.support.GraphQlSocket;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	private static final int MAX_PER_CONNECTION = 3;

	private static final int MAX_PER_USER = 5;

	private static final Duration WAIT = Duration.ofSeconds(10);

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

		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-live"))
			.awaitAcknowledged(WAIT)) {
			socket.subscribe("live", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			JsonNode first = gate(socket.next("live", WAIT));
			assertThat(first.path("decision").asString()).isEqualTo("RESUME");
			assertThat(first.path("inquiryId").asString()).isEqualTo(pending.id);

			persona.setStatus(pending.id, "approved", Instant.now());
			postWebhook(instanceA, approved);

			JsonNode changed = gate(socket.next("live", WAIT));
			assertThat(changed.path("decision").asString()).isEqualTo("ALLOW");
			assertThat(changed.path("reason").asString()).isEqualTo("APPROVED");
			assertThat(changed.path("inquiryStatus").asString()).isEqualTo("APPROVED");
		}

		assertThat(queryDecision(instanceB, "user-live")).isEqualTo("ALLOW");
		assertThat(queryDecision(instanceA, "user-live")).isEqualTo("ALLOW");
		// the first gate, then the one listing that confirmed the approval
		assertThat(listingsOf("user-live")).isEqualTo(2);
	}

	@Test
	void theChangeArrivesWithinASecond() {
		FakePersona.FakeInquiry pending = persona.seed("user-fast", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));
		byte[] declined = PersonaWebhooks.event("declined", "evt_fast", pending.id, "user-fast", TEMPLATE,
				Instant.now());
		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-fast"))
			.awaitAcknowledged(WAIT)) {
			socket.subscribe("fast", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			assertThat(decision(socket.next("fast", WAIT))).isEqualTo("RESUME");

			persona.setStatus(pending.id, "declined", Instant.now());
			postWebhook(instanceA, declined);

			assertThat(decision(socket.next("fast", Duration.ofSeconds(1)))).isEqualTo("DENY");
		}
	}

	@Test
	void anotherUsersSubscriptionReceivesNothing() {
		FakePersona.FakeInquiry pending = persona.seed("user-one", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));
		byte[] approved = PersonaWebhooks.event("approved", "evt_other_user", pending.id, "user-one", TEMPLATE,
				Instant.now());

		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-two"))
			.awaitAcknowledged(WAIT)) {
			socket.subscribe("other", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			assertThat(decision(socket.next("other", WAIT))).isEqualTo("START");

			persona.setStatus(pending.id, "approved", Instant.now());
			postWebhook(instanceA, approved);

			assertThat(socket.nothingWithin(Duration.ofSeconds(2))).isTrue();
		}

		assertThat(IntegrationTestSupport.database()
			.count("select count(*) from webhook_event where event_id = 'evt_other_user'")).isEqualTo(1);
		assertThat(IntegrationTestSupport.database()
			.count("select count(*) from persona_inquiry where reference_id = 'user-two'")).isZero();
	}

	@Test
	void noTokenNoSubscription() {
		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), (String) null)) {
			assertThat(socket.closed()).succeedsWithin(WAIT).isEqualTo(4401);
			assertThat(socket.acknowledged()).isCompletedExceptionally();
		}
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void subscriptionsBeyondTheConnectionLimitAreRefusedAtOnce() {
		persona.seed("user-many", TEMPLATE, "pending", Instant.now().minusSeconds(300));
		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-many"))
			.awaitAcknowledged(WAIT)) {
			for (int i = 1; i <= MAX_PER_CONNECTION; i++) {
				socket.subscribe("s" + i, SUBSCRIPTION, Map.of("templateId", TEMPLATE));
				assertThat(socket.next("s" + i, WAIT).path("type").asString()).isEqualTo("next");
			}

			socket.subscribe("over", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			JsonNode refused = socket.next("over", WAIT);
			assertThat(refused.path("type").asString()).isEqualTo("error");
			assertThat(refused.path("payload").get(0).path("extensions").path("classification").asString())
				.isEqualTo("TOO_MANY_SUBSCRIPTIONS");
			assertThat(refused.path("payload").get(0).path("message").asString()).contains("connection");

			socket.complete("s1");
			socket.subscribe("again", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			assertThat(socket.next("again", WAIT).path("type").asString()).isEqualTo("next");
		}
		assertThat(listingsOf("user-many")).isEqualTo(1);
	}

	@Test
	void subscriptionsBeyondTheUserLimitAreRefusedOnAnyConnection() {
		String token = TestTokens.forUser("user-spread");
		try (GraphQlSocket first = GraphQlSocket.open(GateInstances.port(instanceB), token).awaitAcknowledged(WAIT);
				GraphQlSocket second = GraphQlSocket.open(GateInstances.port(instanceB), token)
					.awaitAcknowledged(WAIT)) {
			for (int i = 1; i <= MAX_PER_CONNECTION; i++) {
				first.subscribe("a" + i, SUBSCRIPTION, Map.of("templateId", TEMPLATE));
				assertThat(first.next("a" + i, WAIT).path("type").asString()).isEqualTo("next");
			}
			for (int i = MAX_PER_CONNECTION + 1; i <= MAX_PER_USER; i++) {
				second.subscribe("b" + i, SUBSCRIPTION, Map.of("templateId", TEMPLATE));
				assertThat(second.next("b" + i, WAIT).path("type").asString()).isEqualTo("next");
			}

			second.subscribe("over", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			JsonNode refused = second.next("over", WAIT);
			assertThat(refused.path("type").asString()).isEqualTo("error");
			assertThat(refused.path("payload").get(0).path("message").asString()).contains("user");

			GraphQlSocket other = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-other"))
				.awaitAcknowledged(WAIT);
			try (other) {
				other.subscribe("o1", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
				assertThat(other.next("o1", WAIT).path("type").asString()).isEqualTo("next");
			}
		}
	}

	@Test
	void aBurstOfChangesCostsASubscriberOneRead() {
		FakePersona.FakeInquiry inquiry = persona.seed("user-burst", TEMPLATE, "pending", Instant.now());
		persona.setStatus(inquiry.id, "expired", Instant.now().minus(Duration.ofDays(3)));
		byte[] started = PersonaWebhooks.event("started", "evt_burst_1", inquiry.id, "user-burst", TEMPLATE,
				Instant.now().minusSeconds(1));
		byte[] approved = PersonaWebhooks.event("approved", "evt_burst_2", inquiry.id, "user-burst", TEMPLATE,
				Instant.now());
		MeterRegistry meters = instanceB.getBean(MeterRegistry.class);
		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instanceB), TestTokens.forUser("user-burst"))
			.awaitAcknowledged(WAIT)) {
			socket.subscribe("burst", SUBSCRIPTION, Map.of("templateId", TEMPLATE));
			assertThat(decision(socket.next("burst", WAIT))).isEqualTo("START");
			// once this change is seen, every notification sent before it has been read
			persona.setStatus(inquiry.id, "pending", Instant.now().minusSeconds(1));
			postWebhook(instanceA, started);
			assertThat(decision(socket.next("burst", WAIT))).isEqualTo("RESUME");
			double before = rereads(meters);

			// ten notifications of this user's gate, committed together as a burst of
			// writes sends them
			IntegrationTestSupport.database()
				.update("select pg_notify('gate_changed', '{\"r\":\"user-burst\",\"t\":\"" + TEMPLATE
						+ "\",\"n\":' || n || '}') from generate_series(1, 10) n");
			await().atMost(WAIT).until(() -> rereads(meters) - before >= 1);

			persona.setStatus(inquiry.id, "approved", Instant.now());
			postWebhook(instanceA, approved);
			assertThat(decision(socket.next("burst", WAIT))).isEqualTo("ALLOW");
			assertThat(rereads(meters) - before).isEqualTo(2);
		}
		// the first gate and the listing each event asked for; the burst's one re-read
		// found the gate confirmed and listed nothing
		assertThat(listingsOf("user-burst")).isEqualTo(3);
	}

	private static JsonNode gate(JsonNode message) {
		return message.path("payload").path("data").path("verificationGateChanged");
	}

	private static String decision(JsonNode message) {
		return gate(message).path("decision").asString();
	}

	@Test
	void aServerSentEventSubscriptionEndsWhenItsTokenExpires() {
		Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
		String token = TestTokens.sign(Map.of("sub", "user-sse"), expiresAt);

		Flux<ServerSentEvent<String>> events = WebClient.create(baseUrl(instanceB))
			.post()
			.uri("/graphql")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.setBearerAuth(token))
			.bodyValue(Map.of("query", SUBSCRIPTION, "variables", Map.of("templateId", TEMPLATE)))
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			});

		StepVerifier.create(events)
			.assertNext((event) -> assertThat(event.data()).contains("\"START\""))
			.assertNext((event) -> assertThat(event.data()).contains("UNAUTHORIZED").contains("expired"))
			.assertNext((event) -> assertThat(event.event()).isEqualTo("complete"))
			.verifyComplete();
		assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
	}

	/** Listings Persona was asked for about this user (other tests' users left out). */
	private static long listingsOf(String user) {
		return persona.requests()
			.stream()
			.filter((request) -> user.equals(request.getUrl().queryParameter("filter[reference-id]")))
			.count();
	}

	private static double rereads(MeterRegistry meters) {
		return meters.counter("gate.subscriptions.rereads").count();
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

	private static ConfigurableApplicationContext start() {
		return GateInstances.start(persona, IntegrationTestSupport.database(),
				"--gate.subscriptions.max-per-connection=" + MAX_PER_CONNECTION,
				"--gate.subscriptions.max-per-user=" + MAX_PER_USER);
	}

}
