package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.personagate.support.FakePersona;
import io.personagate.support.GateNotifications;
import io.personagate.support.InfoLogs;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate end to end: real HTTP to {@code /graphql} with signed JWTs, the real
 * PostgreSQL, and the fake Persona on a real HTTP server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHttpGraphQlTester
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class GateGraphQlTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MutableClock clock;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
		this.clock.reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void newUserIsToldToStart() {
		gate("user-new", TEMPLATE).path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("START")
			.path("verificationGate.reason")
			.entity(String.class)
			.isEqualTo("NO_INQUIRY")
			.path("verificationGate.inquiryId")
			.valueIsNull()
			.path("verificationGate.checkedAt")
			.hasValue();

		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.createCalls()).isZero();
		assertThat(database.count("select count(*) from gate_check where reference_id = ?", "user-new")).isEqualTo(1);
	}

	@Test
	void approvedUserIsAllowed() {
		FakePersona.FakeInquiry approved = persona.seed("user-a", TEMPLATE, "approved", Instant.now().minusSeconds(60));

		assertDecision("user-a", TEMPLATE, "ALLOW", "APPROVED", approved.id, "APPROVED");
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", approved.id))
			.isEqualTo("approved");
	}

	@Test
	void declinedUserIsDenied() {
		FakePersona.FakeInquiry declined = persona.seed("user-d", TEMPLATE, "declined", Instant.now().minusSeconds(60));

		assertDecision("user-d", TEMPLATE, "DENY", "DECLINED", declined.id, "DECLINED");
	}

	@Test
	void userInReviewWaits() {
		FakePersona.FakeInquiry review = persona.seed("user-r", TEMPLATE, "needs_review",
				Instant.now().minusSeconds(60));

		assertDecision("user-r", TEMPLATE, "UNDER_REVIEW", "NEEDS_REVIEW", review.id, "NEEDS_REVIEW");
	}

	@Test
	void userWithAPendingInquiryResumesIt() {
		FakePersona.FakeInquiry pending = persona.seed("user-p", TEMPLATE, "pending", Instant.now().minusSeconds(60));

		assertDecision("user-p", TEMPLATE, "RESUME", "IN_PROGRESS", pending.id, "PENDING");
		assertThat(persona.resumeCalls()).isZero();
	}

	@Test
	void usedUpAttemptsAreDenied() {
		for (int i = 3; i > 0; i--) {
			persona.seed("user-x", TEMPLATE, "pending", Instant.now().minus(Duration.ofDays(10 + i)))
				.expiredAt(Instant.now().minus(Duration.ofDays(9 + i)));
		}

		gate("user-x", TEMPLATE).path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("DENY")
			.path("verificationGate.reason")
			.entity(String.class)
			.isEqualTo("ATTEMPTS_EXHAUSTED");
	}

	@Test
	void legacyTemplatesAreGatedToo() {
		FakePersona.FakeInquiry approved = persona.seed("user-l", LEGACY_TEMPLATE, "completed",
				Instant.now().minusSeconds(60));

		assertDecision("user-l", LEGACY_TEMPLATE, "ALLOW", "COMPLETED", approved.id, "COMPLETED");
		assertThat(persona.requests().get(0).getUrl().queryParameter("filter[template-id]")).isEqualTo(LEGACY_TEMPLATE);
	}

	@Test
	void cachedAnswersMakeNoPersonaCall() {
		persona.seed("user-c", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		gate("user-c", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");

		gate("user-c", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");
		gate("user-c", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");

		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void undecidedStatusIsCheckedAgainAfterTheTtl() {
		FakePersona.FakeInquiry pending = persona.seed("user-t", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		gate("user-t", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");
		persona.setStatus(pending.id, "approved", Instant.now());

		this.clock.advance(Duration.ofSeconds(30));
		gate("user-t", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");
		assertThat(persona.listCalls()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(31));
		gate("user-t", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("approved");
	}

	@Test
	void aListingThatChangesNothingNotifiesNoOne() {
		persona.seed("user-same", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		try (GateNotifications notifications = GateNotifications.listen(database)) {
			gate("user-same", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");
			assertThat(notifications.untilNow()).filteredOn((payload) -> payload.contains("user-same")).hasSize(1);

			this.clock.advance(Duration.ofSeconds(61));
			gate("user-same", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("RESUME");

			assertThat(persona.listCalls()).isEqualTo(2);
			assertThat(notifications.untilNow()).noneMatch((payload) -> payload.contains("user-same"));
		}
	}

	@Test
	void decidedStatusStaysCachedPastTheTtl() {
		persona.seed("user-f", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		gate("user-f", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");

		this.clock.advance(Duration.ofDays(30));
		gate("user-f", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");

		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void ensureInquiryCreatesExactlyOneAndThenReturnsIt() {
		gate("user-s", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("START");

		String inquiryId = ensure("user-s", TEMPLATE).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.clientMutationId")
			.entity(String.class)
			.isEqualTo("tab-1")
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME")
			.path("ensureInquiry.gate.inquiryStatus")
			.entity(String.class)
			.isEqualTo("CREATED")
			.path("ensureInquiry.sessionToken")
			.hasValue()
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();

		ensure("user-s", TEMPLATE).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false)
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(inquiryId)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME");
		gate("user-s", TEMPLATE).path("verificationGate.inquiryId").entity(String.class).isEqualTo(inquiryId);

		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).singleElement().satisfies((inquiry) -> {
			assertThat(inquiry.id).isEqualTo(inquiryId);
			assertThat(inquiry.referenceId).isEqualTo("user-s");
		});
		assertThat(persona.requests()
			.stream()
			.filter((r) -> r.getMethod().equals("POST"))
			.map((r) -> r.getHeaders().get("Idempotency-Key"))).singleElement()
			.satisfies((key) -> assertThat(UUID.fromString(key)).hasToString(key));
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = ?", "user-s"))
			.isEqualTo(1);
	}

	@Test
	void ensureInquiryResumesAPendingInquiryWithASessionToken() {
		FakePersona.FakeInquiry pending = persona.seed("user-p2", TEMPLATE, "pending", Instant.now().minusSeconds(60));

		ensure("user-p2", TEMPLATE).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false)
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(pending.id)
			.path("ensureInquiry.sessionToken")
			.entity(String.class)
			.satisfies((token) -> assertThat(token).startsWith("session-for-" + pending.id));

		assertThat(persona.resumeCalls()).isEqualTo(1);
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void ensureInquiryResumesARecentlyExpiredInquiry() {
		FakePersona.FakeInquiry expired = persona
			.seed("user-e", TEMPLATE, "pending", Instant.now().minus(Duration.ofHours(30)))
			.expiredAt(Instant.now().minus(Duration.ofHours(2)));

		ensure("user-e", TEMPLATE).path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(expired.id)
			.path("ensureInquiry.gate.inquiryStatus")
			.entity(String.class)
			.isEqualTo("PENDING")
			.path("ensureInquiry.sessionToken")
			.hasValue();

		assertThat(persona.createCalls()).isZero();
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", expired.id))
			.isEqualTo("pending");
	}

	@Test
	void ensureInquiryStartsAfreshWhenTheLastExpiredTooLongAgo() {
		FakePersona.FakeInquiry old = persona
			.seed("user-o", TEMPLATE, "pending", Instant.now().minus(Duration.ofDays(5)))
			.expiredAt(Instant.now().minus(Duration.ofDays(4)));

		String id = ensure("user-o", TEMPLATE).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();

		assertThat(id).isNotEqualTo(old.id);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).hasSize(2);
	}

	@Test
	void ensureInquiryNeverCreatesForADecidedUser() {
		persona.seed("user-a2", TEMPLATE, "approved", Instant.now().minusSeconds(60));

		ensure("user-a2", TEMPLATE).path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("ALLOW")
			.path("ensureInquiry.inquiryId")
			.valueIsNull()
			.path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false);

		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void ensureInquiryRechecksPersonaBeforeCreating() {
		gate("user-race", TEMPLATE).path("verificationGate.decision").entity(String.class).isEqualTo("START");
		FakePersona.FakeInquiry elsewhere = persona.seed("user-race", TEMPLATE, "created", Instant.now());

		ensure("user-race", TEMPLATE).path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(elsewhere.id)
			.path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false);

		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void requestWithoutTokenIsUnauthorizedAndTouchesNothing() {
		this.webTestClient.post()
			.uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query",
					"mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE + "\"}) { created } }"))
			.exchange()
			.expectStatus()
			.isUnauthorized();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void expiredOrForgedTokensAreUnauthorized() {
		String expired = TestTokens.sign(Map.of("sub", "user-1"), Instant.now().minusSeconds(120));
		String forged = TestTokens.forUser("user-1").replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");

		for (String token : new String[] { expired, forged }) {
			this.webTestClient.post()
				.uri("/graphql")
				.headers((headers) -> headers.setBearerAuth(token))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void tokenWithoutTheReferenceIdClaimIsUnauthorized() {
		String token = TestTokens.sign(Map.of("scope", "gate"), Instant.now().plusSeconds(60));

		as(token).documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("UNAUTHORIZED");
				assertThat(error.getMessage()).contains("'sub' claim");
			}));
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	@ExtendWith({ OutputCaptureExtension.class, InfoLogs.class })
	void referenceIdsWithControlCharactersAreUnauthorizedAndForgeNoLogLine(CapturedOutput output) {
		String forged = "user-f\n2026-01-01T00:00:00.000Z  WARN 1 --- [persona-gate] [main] forged.Logger : FORGED-LINE";
		for (String sub : List.of(forged, "user-\u0000nul", "user-\u2028sep", "user-\u001b[31mred")) {
			as(TestTokens.sign(Map.of("sub", sub), Instant.now().plusSeconds(60))).documentName("verificationGate")
				.variable("templateId", TEMPLATE)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
					assertThat(error.getErrorType().toString()).isEqualTo("UNAUTHORIZED");
					assertThat(error.getMessage()).isEqualTo("The bearer token's 'sub' claim contains control "
							+ "characters or line breaks; a user id must be printable text");
				}));
		}

		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains("FORGED-LINE"));
		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
		assertThat(database.count("select count(*) from gate_audit")).isZero();
	}

	@Test
	void templateIdsOutsideTheirFormatAreABadRequestThatDoesNotEchoThem() {
		for (String templateId : List.of("itmpl_" + "x".repeat(65), "itmpl_<script>", "inq_abc", "x".repeat(10_000))) {
			as(TestTokens.forUser("user-1")).documentName("verificationGate")
				.variable("templateId", templateId)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
					assertThat(error.getErrorType().toString()).isEqualTo("BAD_REQUEST");
					assertThat(error.getMessage()).isEqualTo("templateId must be a Persona template id: 'itmpl_' or "
							+ "'tmpl_' followed by 1 to 64 letters or digits");
				}));
		}

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void clientMutationIdsAreEchoedUpToTheirLimitAndRefusedBeyond() {
		String longest = "m".repeat(128);
		as(TestTokens.forUser("user-cm")).documentName("ensureInquiry")
			.variable("templateId", TEMPLATE)
			.variable("clientMutationId", longest)
			.execute()
			.errors()
			.verify()
			.path("ensureInquiry.clientMutationId")
			.entity(String.class)
			.isEqualTo(longest);
		persona.reset();

		for (String clientMutationId : List.of("m".repeat(129), "x".repeat(15_000), "tab\n1")) {
			as(TestTokens.forUser("user-cm2")).documentName("ensureInquiry")
				.variable("templateId", TEMPLATE)
				.variable("clientMutationId", clientMutationId)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
					assertThat(error.getErrorType().toString()).isEqualTo("BAD_REQUEST");
					assertThat(error.getMessage()).isEqualTo(
							"clientMutationId must be at most 128 characters, without control characters or line breaks");
				}))
				.path("ensureInquiry")
				.pathDoesNotExist();
		}

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-cm2'")).isZero();
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void aSubscriptionSentAsPlainJsonIsToldWhichTransportsCarryIt() {
		as(TestTokens.forUser("user-plain"))
			.document("subscription($t: ID!) { verificationGateChanged(templateId: $t) { decision } }")
			.variable("t", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType()).hasToString("BAD_REQUEST");
				assertThat(error.getMessage()).contains("graphql-transport-ws").contains("text/event-stream");
			}));
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void unknownTemplateIsABadRequestThatCallsNobody() {
		as(TestTokens.forUser("user-1")).documentName("verificationGate")
			.variable("templateId", "itmpl_NotGatedHere")
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("BAD_REQUEST");
				assertThat(error.getMessage()).contains("itmpl_NotGatedHere");
			}));
		as(TestTokens.forUser("user-1")).documentName("ensureInquiry")
			.variable("templateId", "tmpl_Nope")
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getErrorType().toString()).isEqualTo("BAD_REQUEST")));

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void personaDownIsAnErrorNeverADecision() {
		persona.failAll(FakePersona.error(503, "Service Unavailable", "maintenance"));

		as(TestTokens.forUser("user-down")).documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("UPSTREAM_UNAVAILABLE");
				assertThat(error.getMessage()).contains("Persona could not be reached");
			}));
		as(TestTokens.forUser("user-down")).documentName("ensureInquiry")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getErrorType().toString()).isEqualTo("UPSTREAM_UNAVAILABLE")));

		assertThat(persona.createCalls()).isZero();
		assertThat(persona.listCalls()).isEqualTo(6);
		assertThat(database.count("select count(*) from gate_check")).isZero();
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();
	}

	@Test
	void refusedApiKeyIsReportedAsTheServicesFault() {
		persona.failNext(FakePersona.error(401, "Unauthorized", "Invalid API key"));

		as(TestTokens.forUser("user-k")).documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("SERVICE_MISCONFIGURED");
				assertThat(error.getMessage()).contains("not a problem with your request");
			}));
	}

	private void assertDecision(String user, String template, String decision, String reason, String inquiryId,
			String status) {
		gate(user, template).path("verificationGate.templateId")
			.entity(String.class)
			.isEqualTo(template)
			.path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo(decision)
			.path("verificationGate.reason")
			.entity(String.class)
			.isEqualTo(reason)
			.path("verificationGate.inquiryId")
			.entity(String.class)
			.isEqualTo(inquiryId)
			.path("verificationGate.inquiryStatus")
			.entity(String.class)
			.isEqualTo(status);
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.createCalls()).isZero();
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = ? and reference_id = ?",
				inquiryId, user))
			.isEqualTo(1);
	}

	private GraphQlTester.Traversable gate(String user, String template) {
		return as(TestTokens.forUser(user)).documentName("verificationGate")
			.variable("templateId", template)
			.execute()
			.errors()
			.verify();
	}

	private GraphQlTester.Traversable ensure(String user, String template) {
		return as(TestTokens.forUser(user)).documentName("ensureInquiry")
			.variable("templateId", template)
			.variable("clientMutationId", "tab-1")
			.execute()
			.errors()
			.verify();
	}

	private HttpGraphQlTester as(String token) {
		return this.graphQlTester.mutate().headers((headers) -> headers.setBearerAuth(token)).build();
	}

}
