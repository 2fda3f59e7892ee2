package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Persona's answers are evidence, its listing the truth, on a bad day: a gateway that
 * answers for Persona, a key still in use, answers that are not the user's, listings that
 * cannot be read to the end, absurd dates. Each test goes through {@code /graphql} and
 * checks the answer, the inquiries at the emulator, the requests it got and the rows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "persona.retry.initial-backoff=10ms", "persona.retry.max-backoff=50ms",
				"persona.response-timeout=1s" })
@ExtendWith(OutputCaptureExtension.class)
class PersonaEvidenceTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String GATE = "query { verificationGate(templateId: \"" + TEMPLATE
			+ "\") { decision reason inquiryId inquiryStatus } }";

	private static final String ENSURE = "mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
			+ "\"}) { created inquiryId gate { decision reason inquiryId } } }";

	private static final String LIST = "/api/v1/inquiries";

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
		database.clear();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 502, 503, 504, 408 })
	void aGatewayErrorAfterAStoredCreateMakesNoSecondInquiry(int status) {
		String user = "user-gw-" + status;
		persona.gatewayAnswersNext("POST", LIST, status);

		JsonNode ensured = graphql(user, ENSURE);

		assertThat(ensured.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(ensured.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		assertThat(persona.inquiries()).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id)
				.isEqualTo(ensured.at("/data/ensureInquiry/inquiryId").asString()));
		List<String> keys = createKeys();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = ?", user)).isEqualTo(1);
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aKeyStillInUseIsSentAgainUntilTheFirstCreateAnswers() {
		// the first create outlasts the response timeout; its repeat finds the key in use
		// (409), and the listing lags behind the create
		persona.createsTake(1_500);
		persona.hideNextCreatesFromListings(1);

		JsonNode ensured = graphql("user-409", ENSURE);

		assertThat(ensured.at("/data/ensureInquiry/created").asBoolean()).as(ensured::toString).isTrue();
		assertThat(ensured.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		assertThat(persona.inquiries()).singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id)
				.isEqualTo(ensured.at("/data/ensureInquiry/inquiryId").asString()));
		List<String> keys = createKeys();
		assertThat(keys).hasSizeGreaterThanOrEqualTo(2).containsOnly(keys.get(0));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = 'user-409'")).isEqualTo(1);
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aCreateAnsweredWithAnotherUsersInquiryIsAFaultAndNoOtherKeyIsTried() {
		MockResponse foreign = new MockResponse.Builder().code(201)
			.setHeader("Content-Type", "application/json")
			.body(document(inquiry("inq_foreign1", "approved", "someone-else", TEMPLATE, "2026-03-01T10:00:00Z")))
			.build();
		persona.failNextTo("POST", LIST, foreign);

		JsonNode first = graphql("user-foreign", ENSURE);
		JsonNode second = graphql("user-foreign", ENSURE);

		for (JsonNode answer : List.of(first, second)) {
			assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
			assertThat(answer.at("/data/ensureInquiry/created").asBoolean(false)).isFalse();
		}
		List<String> keys = createKeys();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
		assertThat(persona.inquiries()).isEmpty();
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.string("select create_key from inquiry_claim where reference_id = 'user-foreign'"))
			.isEqualTo(keys.get(0));
	}

	@Test
	void aCreateAnsweredWithAnInquiryOfAnotherTemplateIsAFault() {
		MockResponse otherTemplate = new MockResponse.Builder().code(201)
			.setHeader("Content-Type", "application/json")
			.body(document(
					inquiry("inq_othertpl", "approved", "user-tpl", "itmpl_SomeOtherTemplate", "2026-03-01T10:00:00Z")))
			.build();
		persona.failNextTo("POST", LIST, otherTemplate);

		JsonNode answer = graphql("user-tpl", ENSURE);

		assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(graphql("user-tpl", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("START");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"data\":null}", "{}", "{\"data\":[ITEM_NO_REF]}", "{\"data\":[ITEM_NO_TEMPLATE]}",
			"{\"data\":[ITEM_NO_ID]}", "{\"data\":[ITEM_NUL_ID]}", "{\"data\":[ITEM_NUL_STATUS]}",
			"{\"data\":[ITEM_YEAR_ZERO]}",
			"{\"data\":[],\"links\":{\"next\":\"/api/v1/inquiries?page%5Bsize%5D=100\"}}" })
	void aListingThatCannotBeTrustedFailsClosedAndCreatesNothing(String body) {
		String listing = body
			.replace("ITEM_NO_REF", inquiry("inq_noref", "approved", null, TEMPLATE, "2026-03-01T10:00:00Z"))
			.replace("ITEM_NO_TEMPLATE", inquiry("inq_notpl", "approved", "user-bad", null, "2026-03-01T10:00:00Z"))
			.replace("ITEM_NO_ID", inquiry(null, "approved", "user-bad", TEMPLATE, "2026-03-01T10:00:00Z"))
			.replace("ITEM_NUL_ID", inquiry("inq_\\u0000nul", "approved", "user-bad", TEMPLATE, "2026-03-01T10:00:00Z"))
			.replace("ITEM_NUL_STATUS",
					inquiry("inq_nulstatus", "approved\\u0000", "user-bad", TEMPLATE, "2026-03-01T10:00:00Z"))
			.replace("ITEM_YEAR_ZERO",
					inquiry("inq_yearzero", "approved", "user-bad", TEMPLATE, "0000-01-01T00:00:00Z"));
		persona.failNextTo("GET", LIST, listed(listing));
		persona.failNextTo("GET", LIST, listed(listing));

		JsonNode gate = graphql("user-bad", GATE);
		JsonNode ensured = graphql("user-bad", ENSURE);

		for (JsonNode answer : List.of(gate, ensured)) {
			assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		}
		assertThat(persona.createCalls()).isZero();
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void aLoopOfNextLinksIsAnUpstreamFaultNotTheUsersRateLimit() {
		persona.failNextTo("GET", LIST, listed("{\"data\":[],\"links\":{\"next\":\"" + next("cursorA") + "\"}}"));
		persona.failNextTo("GET", LIST, listed("{\"data\":[],\"links\":{\"next\":\"" + next("cursorB") + "\"}}"));
		persona.failNextTo("GET", LIST, listed("{\"data\":[],\"links\":{\"next\":\"" + next("cursorA") + "\"}}"));

		JsonNode gate = graphql("user-loop", GATE);

		assertThat(gate.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(gate.at("/errors/0/message").asString()).doesNotContain("too many");
		assertThat(persona.listCalls()).isEqualTo(3);
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void aListingLongerThanTheUsersAllowanceBlamesTheListing() {
		for (int page = 0; page < 12; page++) {
			persona.failNextTo("GET", LIST,
					listed("{\"data\":[],\"links\":{\"next\":\"" + next("cursor" + page) + "\"}}"));
		}

		JsonNode gate = graphql("user-endless", GATE);

		assertThat(gate.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		// the user's burst of 10 calls, all of them pages of the one listing
		assertThat(persona.listCalls()).isEqualTo(10);
	}

	@Test
	void theSameInquiryListedTwiceCountsOnceAndTheMoreRestrictiveVersionWins() {
		String approved = inquiry("inq_twice", "approved", "user-twice", TEMPLATE, "2026-03-01T10:00:00Z");
		String declined = inquiry("inq_twice", "declined", "user-twice", TEMPLATE, "2026-03-01T10:00:00Z");
		persona.failNextTo("GET", LIST, listed("{\"data\":[" + approved + "," + declined + "]}"));
		persona.failNextTo("GET", LIST, listed("{\"data\":[" + declined + "," + approved + "]}"));

		JsonNode first = graphql("user-twice", GATE);
		JsonNode second = refresh("user-twice");

		assertThat(first.at("/data/verificationGate/decision").asString()).isEqualTo("DENY");
		assertThat(second.at("/data/refreshVerificationGate/gate/decision").asString()).isEqualTo("DENY");
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = 'inq_twice'")).isEqualTo(1);
	}

	@Test
	void aStatusIsMatchedExactly() {
		persona.failNextTo("GET", LIST, listed("{\"data\":["
				+ inquiry("inq_caps", " APPROVED ", "user-caps", TEMPLATE, "2026-03-01T10:00:00Z") + "]}"));

		JsonNode gate = graphql("user-caps", GATE);

		assertThat(gate.at("/data/verificationGate/decision").asString()).isEqualTo("UNDER_REVIEW");
		assertThat(gate.at("/data/verificationGate/reason").asString()).isEqualTo("UNKNOWN_STATUS");
	}

	@Test
	void aListingReplacesWhatTheCacheBelieves() {
		FakePersona.FakeInquiry inquiry = persona.seed("user-replace", TEMPLATE, "approved",
				Instant.now().minusSeconds(3600));
		assertThat(graphql("user-replace", GATE).at("/data/verificationGate/decision").asString()).isEqualTo("ALLOW");
		// Persona corrects the inquiry with an older time stamp than the cached one
		persona.setStatus(inquiry.id, "declined", Instant.now().minusSeconds(7200));

		JsonNode refreshed = refresh("user-replace");

		assertThat(refreshed.at("/data/refreshVerificationGate/gate/decision").asString()).isEqualTo("DENY");
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", inquiry.id))
			.isEqualTo("declined");
	}

	@Test
	void aCachedInquiryTheListingNoLongerShowsStopsCounting() {
		database.update("insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, "
				+ "updated_at, synced_at, first_seen_at) values ('inq_gone', 'user-gone', '" + TEMPLATE
				+ "', 'approved', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours', "
				+ "now() - interval '2 hours')");

		JsonNode gate = graphql("user-gone", GATE);

		assertThat(gate.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = 'inq_gone'")).isZero();
	}

	@Test
	void anExpiryFarInTheFutureDoesNotKeepTheInquiryResumableForEver() {
		FakePersona.FakeInquiry expired = persona.seed("user-9999", TEMPLATE, "expired",
				Instant.now().minus(Duration.ofDays(3)));
		expired.expiredAt(Instant.parse("9999-01-01T00:00:00Z"));

		graphql("user-9999", GATE);
		String stored = database.string("select expired_at from persona_inquiry where inquiry_id = ?", expired.id);
		refresh("user-9999");

		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = ? "
				+ "and expired_at <= now() + interval '6 minutes'", expired.id))
			.isEqualTo(1);
		assertThat(database.string("select expired_at from persona_inquiry where inquiry_id = ?", expired.id))
			.isEqualTo(stored);
	}

	@Test
	void anUnknownStatusIsLoggedOncePerInquiryNotPerDecision(CapturedOutput output) {
		persona.failNextTo("GET", LIST, listed("{\"data\":["
				+ inquiry("inq_teleport", "teleported", "user-new-status", TEMPLATE, "2026-03-01T10:00:00Z") + "]}"));

		for (int i = 0; i < 20; i++) {
			assertThat(graphql("user-new-status", GATE).at("/data/verificationGate/reason").asString())
				.isEqualTo("UNKNOWN_STATUS");
		}

		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains("inq_teleport") && line.contains("unknown to this service"))).hasSize(1);
	}

	@Test
	void aPageWithMoreInquiriesThanAskedForIsRefusedAndNothingIsStored() {
		StringBuilder page = new StringBuilder("{\"data\":[");
		for (int i = 0; i < 101; i++) {
			page.append((i > 0) ? "," : "")
				.append(inquiry("inq_many" + i, "pending", "user-many", TEMPLATE, "2026-03-01T10:00:00Z"));
		}
		persona.failNextTo("GET", LIST, listed(page.append("]}").toString()));

		JsonNode gate = graphql("user-many", GATE);

		assertThat(gate.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
	}

	@Test
	void aResumeAnsweredWithAnotherUsersInquiryStoresNothing() {
		FakePersona.FakeInquiry pending = persona.seed("user-resume", TEMPLATE, "pending",
				Instant.now().minusSeconds(600));
		persona.failNextTo("POST", "/api/v1/inquiries/" + pending.id + "/resume",
				new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body(document(inquiry("inq_otherres", "approved", "someone-else", "itmpl_SomeOtherTemplate",
							"2026-03-01T10:00:00Z")))
					.build());

		JsonNode ensured = graphql("user-resume", ENSURE);

		assertThat(ensured.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = 'inq_otherres'")).isZero();
		JsonNode gate = graphql("user-resume", GATE);
		assertThat(gate.at("/data/verificationGate/decision").asString()).isEqualTo("RESUME");
		assertThat(gate.at("/data/verificationGate/inquiryId").asString()).isEqualTo(pending.id);
	}

	@Test
	void aDeclineWhoseListingLagsIsServedOnceTheListingShowsIt() {
		FakePersona.FakeInquiry inquiry = persona.seed("user-lag", TEMPLATE, "approved",
				Instant.now().minusSeconds(600));
		assertThat(decision("user-lag")).isEqualTo("ALLOW");
		String laggingListing = "{\"data\":["
				+ inquiry(inquiry.id, "approved", "user-lag", TEMPLATE, inquiry.createdAt.toString()) + "]}";
		persona.setStatus(inquiry.id, "declined", Instant.now());
		persona.failNextTo("GET", LIST, listed(laggingListing));

		postWebhook(PersonaWebhooks.event("declined", "evt_lag", inquiry.id, "user-lag", TEMPLATE, Instant.now()));

		// the first listing after the event still shows the approval: served, not trusted
		assertThat(decision("user-lag")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> "DENY".equals(decision("user-lag")));
		assertThat(persona.listCalls()).isEqualTo(3);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", inquiry.id))
			.isEqualTo("declined");
	}

	@Test
	void anAllowContestedByAnEventIsNotServedStaleWhilePersonaIsDown() {
		FakePersona.FakeInquiry inquiry = persona.seed("user-contested", TEMPLATE, "approved",
				Instant.now().minusSeconds(600));
		assertThat(decision("user-contested")).isEqualTo("ALLOW");
		persona.failAll(FakePersona.error(503, "Service Unavailable", "down"));

		postWebhook(PersonaWebhooks.event("declined", "evt_contested", inquiry.id, "user-contested", TEMPLATE,
				Instant.now()));

		JsonNode gate = graphql("user-contested", GATE);
		assertThat(gate.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
	}

	@Test
	void aConflictPersonaStoredForTheKeyUsesItUp() {
		persona.failNextTo("POST", LIST, FakePersona.error(409, "Conflict", "Duplicate inquiry"));

		JsonNode ensured = graphql("user-dup409", ENSURE);

		assertThat(ensured.at("/errors/0/extensions/classification").asString()).isEqualTo("UPSTREAM_REJECTED");
		assertThat(createKeys()).hasSize(1);
		assertThat(database.count("select count(*) from inquiry_claim where create_key is not null")).isZero();
	}

	@Test
	void aKeptKeyThatMadeNothingIsDroppedOnceAListingWellAfterItShowsNothing() {
		MockResponse foreign = new MockResponse.Builder().code(201)
			.setHeader("Content-Type", "application/json")
			.body(document(inquiry("inq_foreign2", "approved", "someone-else", TEMPLATE, "2026-03-01T10:00:00Z")))
			.build();
		persona.failNextTo("POST", LIST, foreign);
		assertThat(graphql("user-stuck", ENSURE).at("/errors/0/extensions/classification").asString())
			.isEqualTo("UPSTREAM_UNAVAILABLE");
		String kept = database.string("select create_key from inquiry_claim where reference_id = 'user-stuck'");
		database.update("update inquiry_claim set create_key_at = now() - interval '10 minutes' "
				+ "where reference_id = 'user-stuck'");

		JsonNode ensured = graphql("user-stuck", ENSURE);

		assertThat(ensured.at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(persona.inquiries()).singleElement()
			.satisfies((created) -> assertThat(created.referenceId).isEqualTo("user-stuck"));
		List<String> keys = createKeys();
		assertThat(keys).hasSize(2).doesNotHaveDuplicates().startsWith(kept);
	}

	@Test
	void anInquiryAListingOnceShowedStaysWhenALaterOneLeavesItOut() {
		FakePersona.FakeInquiry declined = persona.seed("user-redacted", TEMPLATE, "declined",
				Instant.now().minusSeconds(7200));
		assertThat(decision("user-redacted")).isEqualTo("DENY");
		database.update("update persona_inquiry set first_seen_at = now() - interval '2 hours' where inquiry_id = ?",
				declined.id);
		// the account was redacted: Persona no longer finds the inquiry by reference id
		persona.failNextTo("GET", LIST, listed("{\"data\":[]}"));

		JsonNode refreshed = refresh("user-redacted");

		assertThat(refreshed.at("/data/refreshVerificationGate/gate/decision").asString()).isEqualTo("DENY");
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = ?", declined.id))
			.isEqualTo(1);
	}

	@Test
	void aRedactedInquiryListedWithoutItsReferenceIdStillCounts() {
		String redacted = "{\"type\":\"inquiry\",\"id\":\"inq_redactedref\",\"attributes\":{\"status\":\"declined\","
				+ "\"reference-id\":null,\"created-at\":\"2026-03-01T10:00:00Z\",\"updated-at\":\"2026-03-02T10:00:00Z\","
				+ "\"redacted-at\":\"2026-03-02T10:00:00Z\"},\"relationships\":{\"inquiry-template\":{\"data\":"
				+ "{\"type\":\"inquiry-template\",\"id\":\"" + TEMPLATE + "\"}}}}";
		persona.failNextTo("GET", LIST, listed("{\"data\":[" + redacted + "]}"));

		assertThat(decision("user-erased")).isEqualTo("DENY");
		assertThat(database.string("select reference_id from persona_inquiry where inquiry_id = 'inq_redactedref'"))
			.isEqualTo("user-erased");
	}

	private String decision(String user) {
		return graphql(user, GATE).at("/data/verificationGate/decision").asString();
	}

	private void postWebhook(byte[] body) {
		WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/webhooks/persona")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Persona-Signature", PersonaWebhooks.sign(body))
			.bodyValue(body)
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(15));
	}

	private static MockResponse listed(String body) {
		return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
	}

	private static String next(String cursor) {
		return "/api/v1/inquiries?page%5Bafter%5D=" + cursor + "&page%5Bsize%5D=100";
	}

	private static String document(String inquiry) {
		return "{\"data\":" + inquiry + ",\"meta\":{\"session-token\":null}}";
	}

	private static String inquiry(String id, String status, String referenceId, String template, String at) {
		StringBuilder json = new StringBuilder("{\"type\":\"inquiry\"");
		if (id != null) {
			json.append(",\"id\":\"").append(id).append('"');
		}
		json.append(",\"attributes\":{\"status\":\"").append(status).append('"');
		json.append(",\"reference-id\":").append((referenceId != null) ? "\"" + referenceId + "\"" : "null");
		json.append(",\"created-at\":\"").append(at).append("\",\"updated-at\":\"").append(at).append("\"}");
		if (template != null) {
			json.append(",\"relationships\":{\"inquiry-template\":{\"data\":{\"type\":\"inquiry-template\",\"id\":\"")
				.append(template)
				.append("\"}}}");
		}
		return json.append('}').toString();
	}

	private List<String> createKeys() {
		List<String> keys = new ArrayList<>();
		for (RecordedRequest request : persona.requests()) {
			if (request.getMethod().equals("POST") && request.getUrl().encodedPath().equals(LIST)) {
				keys.add(request.getHeaders().get("Idempotency-Key"));
			}
		}
		return keys;
	}

	private JsonNode refresh(String user) {
		String document = "mutation { refreshVerificationGate(input: {referenceId: \"" + user + "\", templateId: \""
				+ TEMPLATE + "\"}) { gate { decision reason } } }";
		return post(TestTokens.withScopes("support-1", "gate:admin"), document);
	}

	private JsonNode graphql(String user, String document) {
		return post(TestTokens.forUser(user), document);
	}

	private JsonNode post(String token, String document) {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(Duration.ofSeconds(30));
	}

}
