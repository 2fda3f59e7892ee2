package io.personagate.gate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service against the emulator held to Persona's documented rules: idempotency keys,
 * redaction, webhooks that name no reference id or the wrong one, sparse fieldsets and
 * 403s told apart. Each test goes through {@code /graphql} (or the webhook route) and
 * checks the answer, what Persona was asked, and the rows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "persona.retry.initial-backoff=10ms", "persona.retry.max-backoff=50ms" })
class PersonaContractTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String GATE = "query { verificationGate(templateId: \"" + TEMPLATE
			+ "\") { decision reason inquiryId inquiryStatus } }";

	private static final String ENSURE = "mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
			+ "\"}) { created inquiryId sessionToken gate { decision reason inquiryId } } }";

	private static final String CREATE = "/api/v1/inquiries";

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
		// short enough that a create whose answers are all lost gives up within a request
		registry.add("gate.lock.lease", () -> "5s");
	}

	@BeforeEach
	void reset() {
		persona.reset();
		persona.deliverWebhooksTo(URI.create("http://127.0.0.1:" + this.port + "/webhooks/persona"),
				PersonaWebhooks.SECRET);
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void aCreateAnswered500IsNotReplayedByTheNextEnsure() {
		persona.failNextTo("POST", CREATE, FakePersona.error(500, "Internal Server Error", "something broke"));

		JsonNode failed = graphql("user-500", ENSURE);
		JsonNode again = graphql("user-500", ENSURE);

		assertThat(failed.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(again.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(again.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		List<String> keys = createKeys();
		assertThat(keys).hasSize(2).doesNotHaveDuplicates();
		assertThat(persona.inquiries()).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id)
				.isEqualTo(again.at("/data/ensureInquiry/inquiryId").asString()));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-500'")).isEqualTo(1);
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aCreateWhoseAnswersWereAllLostIsRepeatedWithItsKeyByTheNextEnsure() {
		// every attempt of the first call loses its answer, and the listing lags behind
		// the create: only the kept key stands between the user and a second inquiry
		persona.dropNextResponsesTo("POST", CREATE, 3);
		persona.hideNextCreatesFromListings(1);

		JsonNode lost = graphql("user-lost", ENSURE);

		assertThat(lost.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		List<String> firstKeys = createKeys();
		assertThat(firstKeys).hasSize(3).containsOnly(firstKeys.get(0));
		assertThat(database.string("select create_key from inquiry_claim where reference_id = 'user-lost'"))
			.isEqualTo(firstKeys.get(0));

		JsonNode repeated = graphql("user-lost", ENSURE);

		assertThat(repeated.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(repeated.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		assertThat(createKeys()).hasSize(4).containsOnly(firstKeys.get(0));
		assertThat(persona.inquiries()).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id)
				.isEqualTo(repeated.at("/data/ensureInquiry/inquiryId").asString()));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-lost'"))
			.isEqualTo(1);
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aRedactedPendingInquiryIsNeverResumedAndTheNextOneIsCreated() {
		FakePersona.FakeInquiry pending = persona.seed("user-red", TEMPLATE, "pending",
				Instant.now().minusSeconds(600));
		assertThat(graphql("user-red", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");

		FakePersona.Simulation redaction = persona.redact(pending.id);

		assertThat(redaction.webhook().accepted()).isTrue();
		JsonNode gate = graphql("user-red", GATE);
		assertThat(gate.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(gate.at("/data/verificationGate/reason").asString()).isEqualTo("EXPIRED_TOO_OLD");
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("pending");
		assertThat(database.count("select count(*) from persona_inquiry where redacted_at is not null")).isEqualTo(1);

		JsonNode ensured = graphql("user-red", ENSURE);

		assertThat(ensured.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(ensured.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		assertThat(ensured.at("/data/ensureInquiry/inquiryId").asString()).isNotEqualTo(pending.id);
		assertThat(persona.resumeCalls()).isZero();
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).hasSize(2);
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-red'")).isEqualTo(2);
	}

	@Test
	void aRedactedPendingInquiryCountsTowardMaxInquiries() {
		persona.seed("user-red3", TEMPLATE, "expired", Instant.now().minus(Duration.ofDays(9)))
			.expiredAt(Instant.now().minus(Duration.ofDays(8)));
		persona.seed("user-red3", TEMPLATE, "expired", Instant.now().minus(Duration.ofDays(7)))
			.expiredAt(Instant.now().minus(Duration.ofDays(6)));
		FakePersona.FakeInquiry pending = persona.seed("user-red3", TEMPLATE, "pending",
				Instant.now().minusSeconds(600));
		assertThat(graphql("user-red3", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
		persona.redact(pending.id);

		JsonNode ensured = graphql("user-red3", ENSURE);

		assertThat(ensured.at("/data/ensureInquiry/created").asBoolean()).isFalse();
		assertThat(ensured.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("DENY");
		assertThat(ensured.at("/data/ensureInquiry/gate/reason").asString()).isEqualTo("ATTEMPTS_EXHAUSTED");
		assertThat(persona.createCalls()).isZero();
		assertThat(persona.resumeCalls()).isZero();
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-red3'"))
			.isEqualTo(3);
	}

	@Test
	void aSignedWebhookWithoutReferenceIdIsAppliedToTheCachedInquiry() {
		FakePersona.FakeInquiry pending = persona.seed("user-nul", TEMPLATE, "pending",
				Instant.now().minusSeconds(600));
		assertThat(graphql("user-nul", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");

		FakePersona.Simulation approval = persona.simulate(pending.id, FakePersona.Action.APPROVE);

		assertThat(approval.webhook().response()).contains("\"accepted\"");
		assertThat(graphql("user-nul", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("ALLOW");
		// the approval is served once a listing confirms it
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("approved");
		assertThat(database.string("select reference_id from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("user-nul");
	}

	@Test
	void aSignedWebhookNamingAnotherUserOrTemplateChangesNothingForAnyone() {
		FakePersona.FakeInquiry owned = persona.seed("user-own", TEMPLATE, "pending", Instant.now().minusSeconds(600));
		persona.seed("user-other", TEMPLATE, "pending", Instant.now().minusSeconds(600));
		assertThat(graphql("user-own", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
		assertThat(graphql("user-other", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
		long audited = database.count("select count(*) from gate_audit");
		double contradictedBefore = contradicted();
		byte[] otherUser = PersonaWebhooks.event("approved", "evt_other_user", owned.id, "user-other", TEMPLATE,
				Instant.now());
		byte[] otherTemplate = PersonaWebhooks.event("approved", "evt_other_template", owned.id, "user-own",
				LEGACY_TEMPLATE, Instant.now());

		for (byte[] body : List.of(otherUser, otherTemplate)) {
			JsonNode answer = postWebhook(body);
			assertThat(answer.at("/outcome").asString()).isEqualTo("contradicted");
		}

		assertThat(contradicted() - contradictedBefore).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", owned.id))
			.isEqualTo("pending");
		assertThat(database
			.string("select reference_id || ' ' || template_id from persona_inquiry where inquiry_id = ?", owned.id))
			.isEqualTo("user-own " + TEMPLATE);
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-other'"))
			.isEqualTo(1);
		assertThat(database.count("select count(*) from persona_inquiry where status <> 'pending'")).isZero();
		assertThat(database.count("select count(*) from persona_inquiry where template_id = ?", LEGACY_TEMPLATE))
			.isZero();
		assertThat(database.count("select count(*) from webhook_event")).isZero();
		assertThat(database.count("select count(*) from gate_audit")).isEqualTo(audited);
		assertThat(graphql("user-own", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
		assertThat(graphql("user-other", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
	}

	@Test
	void aListingAsksOnlyForWhatTheGateReadsAndGetsNoPersonalData() throws Exception {
		persona.seed("user-sparse", TEMPLATE, "pending", Instant.now().minusSeconds(600));

		assertThat(graphql("user-sparse", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");

		RecordedRequest listing = persona.requests().get(0);
		assertThat(listing.getUrl().queryParameter("fields[inquiry]")).isEqualTo(
				"status,reference-id,created-at,updated-at,expired-at,redacted-at,decisioned-at,completed-at,failed-at");
		// the same request again, to see what the emulator answered it
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(listing.getUrl().uri())
				.header("Authorization", listing.getHeaders().get("Authorization"))
				.header("Persona-Version", listing.getHeaders().get("Persona-Version"))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		JsonNode attributes = JsonMapper.builder().build().readTree(answer.body()).at("/data/0/attributes");
		assertThat(attributes.has("fields")).isFalse();
		assertThat(attributes.propertyNames()).containsExactlyInAnyOrder("status", "reference-id", "created-at",
				"updated-at", "expired-at", "redacted-at", "decisioned-at", "completed-at", "failed-at");
		assertThat(database.string("select status from persona_inquiry where reference_id = 'user-sparse'"))
			.isEqualTo("pending");
	}

	@Test
	void aForbiddenQuotaAnswerIsUpstreamUnavailableNotAConfigurationFault() {
		persona.failNext(FakePersona.error(403, "Forbidden",
				"You have hit your create_verification quota limit of 300 requests. Please reach out to support."));

		JsonNode answer = graphql("user-quota", GATE);

		assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(health().at("/components/persona/status").asString()).isEqualTo("UP");
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-quota'")).isZero();
	}

	private List<String> createKeys() {
		List<String> keys = new ArrayList<>();
		for (RecordedRequest request : persona.requests()) {
			if (request.getMethod().equals("POST") && request.getUrl().encodedPath().equals(CREATE)) {
				keys.add(request.getHeaders().get("Idempotency-Key"));
			}
		}
		return keys;
	}

	private double contradicted() {
		var counter = this.meters.find("gate.events.contradicted").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private JsonNode postWebhook(byte[] body) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/webhooks/persona")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Persona-Signature", PersonaWebhooks.sign(body))
			.bodyValue(body)
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(Duration.ofSeconds(15));
	}

	private JsonNode health() {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health")
			.headers((headers) -> headers.setBearerAuth(TestTokens.monitor()))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class))
			.block(Duration.ofSeconds(15));
	}

	private JsonNode graphql(String user, String document) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(Duration.ofSeconds(30));
	}

}
