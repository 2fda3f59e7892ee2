package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.personagate.persona.PersonaResilience;
import io.personagate.support.FakePersona;
import io.personagate.support.InfoLogs;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault injection at the fake Persona, end to end through HTTP {@code /graphql} and the
 * real PostgreSQL: each test checks the answer, how many calls Persona got, and what the
 * database holds afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "persona.response-timeout=500ms", "persona.deadline=3s", "persona.retry.initial-backoff=20ms",
				"persona.retry.max-backoff=100ms", "persona.circuit-breaker.sliding-window-size=4",
				"persona.circuit-breaker.minimum-calls=4", "persona.circuit-breaker.open-duration=1s",
				"persona.circuit-breaker.half-open-calls=1", "gate.cache.decided-ttl=1h" })
@Import(MutableClockConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class PersonaFaultTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String GATE = "query { verificationGate(templateId: \"" + TEMPLATE
			+ "\") { decision reason inquiryId stale } }";

	private static final String ENSURE = "mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
			+ "\"}) { created inquiryId gate { decision stale } } }";

	@LocalServerPort
	private int port;

	@Autowired
	private MutableClock clock;

	@Autowired
	private PersonaResilience resilience;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
		this.clock.reset();
		this.resilience.circuitBreaker().reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void twoServiceUnavailableAnswersAreRetriedAway() {
		persona.failNext(FakePersona.error(503, "Service Unavailable", "try again"));
		persona.failNext(FakePersona.error(503, "Service Unavailable", "try again"));

		JsonNode answer = graphql("user-503", GATE, null);

		assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(3);
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-503'")).isEqualTo(1);
	}

	@Test
	void aSlowAnswerIsAbandonedAndRetried() {
		persona.failNext(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());

		JsonNode answer = graphql("user-slow", GATE, null);

		assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void aPersonaThatStaysSlowFailsClosedWithinTheDeadline() {
		persona.failAll(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).body("{}").build());
		long start = System.nanoTime();

		JsonNode answer = graphql("user-stuck", ENSURE, null);

		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(answer.at("/data").isNull() || answer.at("/data").isMissingNode()).isTrue();
		assertThat(took).isLessThan(Duration.ofSeconds(5));
		assertThat(persona.createCalls()).isZero();
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aCreateWhoseAnswerIsLostIsRetriedIntoTheSameInquiry() {
		persona.dropNextResponseTo("POST", "/api/v1/inquiries");

		JsonNode answer = graphql("user-drop", ENSURE, null);

		assertThat(answer.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(answer.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		List<RecordedRequest> creates = persona.requests()
			.stream()
			.filter((r) -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals("/api/v1/inquiries"))
			.toList();
		assertThat(creates).hasSize(2);
		assertThat(creates.get(1).getHeaders().get("Idempotency-Key"))
			.isEqualTo(creates.get(0).getHeaders().get("Idempotency-Key"));
		assertThat(persona.inquiries()).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id)
				.isEqualTo(answer.at("/data/ensureInquiry/inquiryId").asString()));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-drop'"))
			.isEqualTo(1);
		assertThat(database
			.count("select count(*) from gate_audit where reference_id = 'user-drop' and action = 'INQUIRY_CREATED'"))
			.isEqualTo(1);
	}

	@Test
	void aRateLimitedCallWaitsAsPersonaSays() {
		persona.failNext(new MockResponse.Builder().code(429)
			.addHeader("RateLimit-Reset", "1")
			.addHeader("Content-Type", "application/json")
			.body("{\"errors\":[{\"title\":\"Too Many Requests\",\"details\":\"slow down\"}]}")
			.build());
		long start = System.nanoTime();

		JsonNode answer = graphql("user-429", GATE, null);

		assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void aSteadyServerErrorOpensTheCircuitAndItClosesAfterAProbe() {
		persona.failAll(FakePersona.error(500, "Internal Server Error", "broken"));
		for (int i = 0; i < 4; i++) {
			assertThat(graphql("user-cb-" + i, GATE, null).at("/errors/0/extensions/classification").asString())
				.isEqualTo("UPSTREAM_UNAVAILABLE");
		}
		assertThat(persona.listCalls()).isEqualTo(4);
		assertThat(this.resilience.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

		JsonNode whileOpen = graphql("user-cb-open", GATE, null);

		assertThat(whileOpen.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(persona.listCalls()).isEqualTo(4);

		persona.failAll(null);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "START"
				.equals(graphql("user-cb-back", GATE, null).at("/data/verificationGate/decision").asString()));
		assertThat(this.resilience.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-cb-back'")).isEqualTo(1);
		assertThat(database.count("select count(*) from gate_check where reference_id like 'user-cb-%'")).isEqualTo(1);
	}

	@Test
	void anApprovedUserIsServedStaleWhilePersonaIsDown() {
		persona.seed("user-ok", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		assertThat(graphql("user-ok", GATE, null).at("/data/verificationGate/stale").asBoolean()).isFalse();
		this.clock.advance(Duration.ofHours(2));
		persona.failAll(FakePersona.error(503, "Service Unavailable", "down"));

		JsonNode answer = graphql("user-ok", GATE, null);

		assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("ALLOW");
		assertThat(answer.at("/data/verificationGate/stale").asBoolean()).isTrue();
		assertThat(persona.listCalls()).isEqualTo(1 + 3);
		assertThat(database.string("select status from persona_inquiry where reference_id = 'user-ok'"))
			.isEqualTo("approved");
	}

	@Test
	void aPendingUserPastItsTtlGetsAnErrorNeverStart() {
		persona.seed("user-pend", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		assertThat(graphql("user-pend", GATE, null).at("/data/verificationGate/decision").asString())
			.isEqualTo("RESUME");
		this.clock.advance(Duration.ofSeconds(61));
		persona.failAll(FakePersona.error(503, "Service Unavailable", "down"));

		JsonNode gate = graphql("user-pend", GATE, null);
		JsonNode ensure = graphql("user-pend", ENSURE, null);

		assertThat(gate.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(gate.at("/errors/0/message").asString()).contains("nothing was decided");
		assertThat(ensure.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(persona.createCalls()).isZero();
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-pend'"))
			.isEqualTo(1);
	}

	@Test
	void aHundredConcurrentColdQueriesMakeOneListCall() {
		persona.latency(300);
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		String token = TestTokens.forUser("user-herd");

		List<JsonNode> answers = Flux.range(0, 100)
			.flatMap((i) -> client.post()
				.uri("/graphql")
				.headers((headers) -> headers.setBearerAuth(token))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", GATE))
				.retrieve()
				.bodyToMono(JsonNode.class), 100)
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(answers).hasSize(100)
			.allSatisfy(
					(answer) -> assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("START"));
		// only this user's listings: one that an earlier test started may still be
		// retrying
		assertThat(persona.requests()
			.stream()
			.filter((request) -> "user-herd".equals(request.getUrl().queryParameter("filter[reference-id]"))))
			.hasSize(1);
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-herd'")).isEqualTo(1);
	}

	@Test
	@ExtendWith(InfoLogs.class)
	void errorsAndTheAuditTrailCarryTheCorrelationId(CapturedOutput output) {
		JsonNode created = graphql("user-corr", ENSURE, "req-created-1");
		persona.failAll(FakePersona.error(503, "Service Unavailable", "down"));
		this.clock.advance(Duration.ofMinutes(5));
		JsonNode failed = graphql("user-corr", GATE, "req-failed-2");

		assertThat(created.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(failed.at("/errors/0/extensions/correlationId").asString()).isEqualTo("req-failed-2");
		assertThat(database.count(
				"select count(*) from gate_audit where reference_id = 'user-corr' and action = 'INQUIRY_CREATED' and correlation_id = 'req-created-1'"))
			.isEqualTo(1);
		assertThat(database.count(
				"select count(*) from gate_audit where reference_id = 'user-corr' and action = 'DECISION_CHANGED' and decision = 'RESUME' and correlation_id = 'req-created-1'"))
			.isEqualTo(1);
		assertThat(output).contains("[req-created-1] ")
			.containsPattern("\\[req-created-1\\] .*Created inquiry inq_")
			.containsPattern("\\[req-failed-2\\] .*Persona unavailable: ")
			.containsPattern("\\[req-created-1\\] .*Gate RESUME \\(IN_PROGRESS\\) for reference id user-corr")
			.doesNotContain("test-api-key")
			.doesNotContain("session-for-")
			.doesNotContain("Jane");
	}

	@Test
	void aRefusedApiKeyShowsInHealthUntilPersonaAcceptsItAgain() {
		persona.failNext(FakePersona.error(401, "Unauthorized", "bad key"));

		JsonNode answer = graphql("user-key", GATE, null);

		assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("SERVICE_MISCONFIGURED");
		JsonNode down = health();
		assertThat(down.at("/status").asString()).isEqualTo("DOWN");
		assertThat(down.at("/components/persona/status").asString()).isEqualTo("DOWN");
		assertThat(graphql("user-key", GATE, null).at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(health().at("/components/persona/status").asString()).isEqualTo("UP");
	}

	@Test
	void prometheusShowsWhatHappened() {
		persona.seed("user-m", TEMPLATE, "approved", Instant.now());
		graphql("user-m", GATE, null);
		graphql("user-m", GATE, null);
		persona.failNext(FakePersona.error(503, "Service Unavailable", "blip"));
		graphql("user-m2", GATE, null);

		String metrics = WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth(TestTokens.monitor()))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5));

		assertThat(metrics)
			.containsPattern("gate_decisions_total\\{decision=\"ALLOW\",template=\"" + TEMPLATE + "\"\\} [1-9]")
			.containsPattern("gate_decisions_total\\{decision=\"START\",template=\"" + TEMPLATE + "\"\\} [1-9]")
			.containsPattern("gate_cache_total\\{result=\"hit\"\\} [1-9]")
			.containsPattern("gate_cache_total\\{result=\"miss\"\\} [1-9]")
			.containsPattern("persona_calls_seconds_count\\{operation=\"list\",outcome=\"success\"\\} [1-9]")
			.containsPattern("persona_calls_seconds_count\\{operation=\"list\",outcome=\"server_error\"\\} [1-9]")
			.containsPattern("persona_calls_seconds_bucket\\{operation=\"list\",outcome=\"success\",le=")
			.containsPattern(
					"resilience4j_retry_calls_total\\{kind=\"successful_with_retry\",name=\"persona\"\\} [1-9]")
			.contains("resilience4j_circuitbreaker_state{name=\"persona\",state=\"closed\"} 1.0")
			.contains("persona_ratelimiter_waits_total")
			.doesNotContain("resilience4j_ratelimiter_available_permissions")
			.containsPattern("graphql_request_seconds_count\\{[^}]*outcome=\"SUCCESS\"[^}]*\\} [1-9]")
			.containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/graphql\"[^}]*\\} [1-9]")
			.doesNotContain("spring_security_", "graphql_datafetcher_");
	}

	private JsonNode health() {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.headers((headers) -> headers.setBearerAuth(TestTokens.monitor()))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class))
			.block(Duration.ofSeconds(5));
	}

	private JsonNode graphql(String user, String document, String correlationId) {
		return WebClient.create("http://127.0.0.1:" + this.port).post().uri("/graphql").headers((headers) -> {
			headers.setBearerAuth(TestTokens.forUser(user));
			if (correlationId != null) {
				headers.set("X-Request-Id", correlationId);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(Duration.ofSeconds(15));
	}

}
