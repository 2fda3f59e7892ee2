package io.personagate.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.personagate.persona.PersonaResilience;
import io.personagate.support.FakePersona;
import io.personagate.support.GateSubscriptions;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator API end to end: real HTTP to {@code /graphql} with signed JWTs carrying
 * scopes (or not), the real PostgreSQL, and the fake Persona on a real HTTP server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHttpGraphQlTester
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class OperatorGraphQlTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String AGENT = "support-agent-7";

	private static final String ADMIN = TestTokens.withScopes(AGENT, "gate:read", "gate:admin");

	private static final String READER = TestTokens.withScopes("payments-service", "gate:read");

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MutableClock clock;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@Autowired
	private PersonaResilience resilience;

	@BeforeEach
	void reset() {
		persona.reset();
		this.clock.reset();
		// the tests where Persona is down must not leave the next ones a Persona cut off
		this.resilience.circuitBreaker().reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void userTokensCanNeitherReadNorChangeAnyUsersGate() {
		persona.seed("user-d", TEMPLATE, "declined", Instant.now().minusSeconds(60));
		String user = TestTokens.forUser("user-d");

		assertForbidden(gateOf(user, "user-d"), "verificationGateOf");
		assertForbidden(history(user, "user-d", null), "gateHistory");
		assertForbidden(refresh(user, "user-d", null), "refreshVerificationGate");
		assertForbidden(grant(user, "user-d", "blurry photo"), "grantInquiryAttempt");

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from inquiry_grant")).isZero();
		assertThat(database.count("select count(*) from gate_audit")).isZero();
	}

	@Test
	void readOnlyTokensCannotChangeAGate() {
		persona.seed("user-d", TEMPLATE, "declined", Instant.now().minusSeconds(60));
		gateOf(READER, "user-d").path("verificationGateOf.decision").entity(String.class).isEqualTo("DENY");
		assertThat(persona.listCalls()).isEqualTo(1);

		assertForbidden(refresh(READER, "user-d", "checking"), "refreshVerificationGate");
		assertForbidden(grant(READER, "user-d", "blurry photo"), "grantInquiryAttempt");

		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.requests()).hasSize(1);
		assertThat(database.count("select count(*) from inquiry_grant")).isZero();
		assertThat(database.count("select count(*) from gate_audit where action <> 'DECISION_CHANGED'")).isZero();
	}

	@Test
	void withoutATokenNothingIsReachable() {
		for (String operation : List.of(
				"{ verificationGateOf(referenceId: \"user-d\", templateId: \"" + TEMPLATE + "\") { decision } }",
				"{ gateHistory(referenceId: \"user-d\", templateId: \"" + TEMPLATE + "\") { action } }",
				"mutation { refreshVerificationGate(input: {referenceId: \"user-d\", templateId: \"" + TEMPLATE
						+ "\"}) { gate { decision } } }",
				"mutation { grantInquiryAttempt(input: {referenceId: \"user-d\", templateId: \"" + TEMPLATE
						+ "\", reason: \"r\"}) { gate { decision } } }")) {
			this.webTestClient.post()
				.uri("/graphql")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", operation))
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from inquiry_grant")).isZero();
	}

	@Test
	void scopesAreReadFromAnScpClaimToo() {
		String token = TestTokens.sign(Map.of("sub", "onboarding-service", "scp", List.of("gate:read")),
				Instant.now().plusSeconds(600));

		gateOf(token, "user-new").path("verificationGateOf.decision").entity(String.class).isEqualTo("START");
		assertForbidden(grant(token, "user-new", "no"), "grantInquiryAttempt");
	}

	@Test
	void verificationGateOfAnswersWhatTheUsersOwnGateAnswers() {
		FakePersona.FakeInquiry declined = persona.seed("user-d", TEMPLATE, "declined", Instant.now().minusSeconds(60));

		gateOf(READER, "user-d").path("verificationGateOf.decision")
			.entity(String.class)
			.isEqualTo("DENY")
			.path("verificationGateOf.reason")
			.entity(String.class)
			.isEqualTo("DECLINED")
			.path("verificationGateOf.inquiryId")
			.entity(String.class)
			.isEqualTo(declined.id)
			.path("verificationGateOf.stale")
			.entity(Boolean.class)
			.isEqualTo(false);
		own("user-d").path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("DENY")
			.path("verificationGate.inquiryId")
			.entity(String.class)
			.isEqualTo(declined.id);

		// one cache: the user's own question was answered from what the operator's read
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(database.count("select count(*) from gate_check where reference_id = ?", "user-d")).isEqualTo(1);
	}

	@Test
	void verificationGateOfFollowsTheCacheTtl() {
		FakePersona.FakeInquiry pending = persona.seed("user-p", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		gateOf(READER, "user-p").path("verificationGateOf.decision").entity(String.class).isEqualTo("RESUME");
		persona.setStatus(pending.id, "approved", Instant.now());

		gateOf(READER, "user-p").path("verificationGateOf.decision").entity(String.class).isEqualTo("RESUME");
		assertThat(persona.listCalls()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(61));
		gateOf(READER, "user-p").path("verificationGateOf.decision").entity(String.class).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void verificationGateOfNeverStartsAnything() {
		persona.seed("user-p", TEMPLATE, "pending", Instant.now().minusSeconds(60));

		gateOf(READER, "user-new").path("verificationGateOf.decision")
			.entity(String.class)
			.isEqualTo("START")
			.path("verificationGateOf.reason")
			.entity(String.class)
			.isEqualTo("NO_INQUIRY");
		gateOf(READER, "user-p").path("verificationGateOf.decision").entity(String.class).isEqualTo("RESUME");

		assertThat(persona.createCalls()).isZero();
		assertThat(persona.resumeCalls()).isZero();
		assertThat(persona.inquiries()).hasSize(1);
		assertThat(database.count("select count(*) from gate_audit where action like 'INQUIRY_%'")).isZero();
	}

	@Test
	void verificationGateOfFailsClosedAsTheUsersOwnDoes() {
		persona.failAll(new MockResponse.Builder().code(503).build());

		assertClassified(gateOf(READER, "user-down"), "verificationGateOf", "UPSTREAM_UNAVAILABLE");
		assertClassified(own("user-down"), "verificationGate", "UPSTREAM_UNAVAILABLE");
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void unknownTemplatesAndBadArgumentsAreBadRequests() {
		assertClassified(as(READER).documentName("verificationGateOf")
			.variable("referenceId", "user-x")
			.variable("templateId", "itmpl_NotGatedHere")
			.execute(), "verificationGateOf", "BAD_REQUEST");
		assertClassified(gateOf(READER, " "), "verificationGateOf", "BAD_REQUEST");
		assertClassified(gateOf(READER, "u".repeat(256)), "verificationGateOf", "BAD_REQUEST");
		assertClassified(history(READER, "user-x", 0), "gateHistory", "BAD_REQUEST");
		assertClassified(history(READER, "user-x", 501), "gateHistory", "BAD_REQUEST");
		assertClassified(grant(ADMIN, "user-x", "  "), "grantInquiryAttempt", "BAD_REQUEST");

		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void grantLetsADeclinedUserStartExactlyOneMoreInquiry() {
		FakePersona.FakeInquiry declined = persona.seed("user-g", TEMPLATE, "declined",
				Instant.now().minusSeconds(600));

		grant(ADMIN, "user-g", "blurry photo, ticket 4711").path("grantInquiryAttempt.clientMutationId")
			.entity(String.class)
			.isEqualTo("op-1")
			.path("grantInquiryAttempt.gate.decision")
			.entity(String.class)
			.isEqualTo("START")
			.path("grantInquiryAttempt.gate.reason")
			.entity(String.class)
			.isEqualTo("ATTEMPT_GRANTED")
			.path("grantInquiryAttempt.gate.inquiryId")
			.entity(String.class)
			.isEqualTo(declined.id);
		assertThat(database.string("select granted_by || ' / ' || reason from inquiry_grant where reference_id = ?",
				"user-g"))
			.isEqualTo(AGENT + " / blurry photo, ticket 4711");
		own("user-g").path("verificationGate.decision").entity(String.class).isEqualTo("START");

		String created = ensure("user-g").path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME")
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();
		assertThat(created).isNotEqualTo(declined.id);
		assertThat(database.string("select inquiry_id from inquiry_grant where reference_id = ?", "user-g"))
			.isEqualTo(created);
		assertThat(persona.createCalls()).isEqualTo(1);

		// the policy judges the new inquiry: declined again, the door closes again
		persona.setStatus(created, "declined", Instant.now());
		refresh(ADMIN, "user-g", null).path("refreshVerificationGate.gate.decision")
			.entity(String.class)
			.isEqualTo("DENY")
			.path("refreshVerificationGate.gate.inquiryId")
			.entity(String.class)
			.isEqualTo(created);
		ensure("user-g").path("ensureInquiry.created").entity(Boolean.class).isEqualTo(false);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).hasSize(2);
	}

	@Test
	void grantedInquiryThatIsApprovedLetsTheUserIn() {
		persona.seed("user-a", TEMPLATE, "failed", Instant.now().minusSeconds(600));
		own("user-a").path("verificationGate.reason").entity(String.class).isEqualTo("FAILED");
		grant(ADMIN, "user-a", "camera broke").path("grantInquiryAttempt.gate.decision")
			.entity(String.class)
			.isEqualTo("START");
		String created = ensure("user-a").path("ensureInquiry.inquiryId").entity(String.class).get();

		persona.setStatus(created, "approved", Instant.now());
		refresh(ADMIN, "user-a", null);

		own("user-a").path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("ALLOW")
			.path("verificationGate.inquiryId")
			.entity(String.class)
			.isEqualTo(created);
	}

	@Test
	void grantAfterTheAttemptsRanOutAllowsOneMoreOnly() {
		for (int i = 3; i > 0; i--) {
			persona.seed("user-x", TEMPLATE, "pending", Instant.now().minus(Duration.ofDays(10 + i)))
				.expiredAt(Instant.now().minus(Duration.ofDays(9 + i)));
		}
		own("user-x").path("verificationGate.reason").entity(String.class).isEqualTo("ATTEMPTS_EXHAUSTED");

		grant(ADMIN, "user-x", "lost phone twice").path("grantInquiryAttempt.gate.decision")
			.entity(String.class)
			.isEqualTo("START");
		String created = ensure("user-x").path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();

		// the granted inquiry expires too and its resume window passes: no more attempts
		persona.setStatus(created, "expired", Instant.now());
		this.clock.advance(Duration.ofDays(2));
		refresh(ADMIN, "user-x", null).path("refreshVerificationGate.gate.reason")
			.entity(String.class)
			.isEqualTo("ATTEMPTS_EXHAUSTED");
		ensure("user-x").path("ensureInquiry.created").entity(Boolean.class).isEqualTo(false);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).hasSize(4);
	}

	@Test
	void grantOnAGateThatIsNotDenyIsABadRequest() {
		persona.seed("user-ok", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		persona.seed("user-p", TEMPLATE, "pending", Instant.now().minusSeconds(60));

		assertClassified(grant(ADMIN, "user-ok", "why not"), "grantInquiryAttempt", "BAD_REQUEST");
		assertClassified(grant(ADMIN, "user-p", "why not"), "grantInquiryAttempt", "BAD_REQUEST");
		assertClassified(grant(ADMIN, "user-new", "why not"), "grantInquiryAttempt", "BAD_REQUEST");

		assertThat(database.count("select count(*) from inquiry_grant")).isZero();
		assertThat(database.count("select count(*) from gate_audit where action = 'ATTEMPT_GRANTED'")).isZero();
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void aSecondGrantBeforeTheFirstIsUsedIsABadRequest() {
		persona.seed("user-g", TEMPLATE, "declined", Instant.now().minusSeconds(600));
		grant(ADMIN, "user-g", "first").path("grantInquiryAttempt.gate.decision")
			.entity(String.class)
			.isEqualTo("START");

		assertClassified(grant(ADMIN, "user-g", "second"), "grantInquiryAttempt", "BAD_REQUEST");

		assertThat(database.count("select count(*) from inquiry_grant")).isEqualTo(1);
	}

	@Test
	void refreshReadsPersonaNowAndTellsSubscribers() {
		FakePersona.FakeInquiry pending = persona.seed("user-r", TEMPLATE, "pending", Instant.now().minusSeconds(60));

		StepVerifier.create(GateSubscriptions.of(this.port, TestTokens.forUser("user-r"), TEMPLATE))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "RESUME"))
			.then(() -> {
				persona.setStatus(pending.id, "approved", Instant.now());
				refresh(ADMIN, "user-r", "customer called").path("refreshVerificationGate.gate.decision")
					.entity(String.class)
					.isEqualTo("ALLOW")
					.path("refreshVerificationGate.clientMutationId")
					.entity(String.class)
					.isEqualTo("op-1");
			})
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "ALLOW")
				.containsEntry("inquiryId", pending.id))
			.thenCancel()
			.verify(Duration.ofSeconds(10));

		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("approved");
		assertThat(database.string("select actor || ' / ' || note from gate_audit where action = 'REFRESHED'"))
			.isEqualTo(AGENT + " / customer called");
	}

	@Test
	void refreshWhilePersonaIsDownIsAnErrorNotTheCache() {
		persona.seed("user-ok", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		own("user-ok").path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");
		persona.failAll(new MockResponse.Builder().code(503).build());

		assertClassified(refresh(ADMIN, "user-ok", null), "refreshVerificationGate", "UPSTREAM_UNAVAILABLE");

		assertThat(database.count("select count(*) from gate_audit where action = 'REFRESHED'")).isZero();
	}

	@Test
	void historyShowsWhatHappenedNewestFirstWithWhoAndWhy() {
		FakePersona.FakeInquiry declined = persona.seed("user-h", TEMPLATE, "declined",
				Instant.now().minusSeconds(600));
		own("user-h");
		grant(ADMIN, "user-h", "blurry photo");
		String created = ensure("user-h").path("ensureInquiry.inquiryId").entity(String.class).get();
		refresh(ADMIN, "user-h", "after the call");

		List<Map<String, Object>> entries = history(READER, "user-h", null).path("gateHistory")
			.entityList(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.get();

		assertThat(entries).extracting((entry) -> entry.get("action"))
			.containsExactly("REFRESHED", "DECISION_CHANGED", "INQUIRY_CREATED", "DECISION_CHANGED", "ATTEMPT_GRANTED",
					"DECISION_CHANGED");
		assertThat(entries.get(0)).containsEntry("actor", AGENT)
			.containsEntry("note", "after the call")
			.containsEntry("decision", "RESUME")
			.containsEntry("inquiryId", created);
		assertThat(entries.get(1)).containsEntry("decision", "RESUME").containsEntry("inquiryStatus", "CREATED");
		assertThat(entries.get(2)).containsEntry("inquiryId", created)
			.containsEntry("note", "used the attempt granted by " + AGENT);
		assertThat(entries.get(3)).containsEntry("decision", "START").containsEntry("reason", "ATTEMPT_GRANTED");
		assertThat(entries.get(4)).containsEntry("actor", AGENT)
			.containsEntry("note", "blurry photo")
			.containsEntry("decision", "DENY")
			.containsEntry("reason", "DECLINED")
			.containsEntry("inquiryId", declined.id)
			.containsEntry("inquiryStatus", "DECLINED");
		assertThat(entries.get(5)).containsEntry("decision", "DENY").containsEntry("actor", null);
		assertThat(entries).allSatisfy((entry) -> assertThat(entry.get("at")).isNotNull());

		assertThat(history(READER, "user-h", 2).path("gateHistory").entityList(Map.class).get())
			.extracting((entry) -> entry.get("action"))
			.containsExactly("REFRESHED", "DECISION_CHANGED");
		history(READER, "someone-else", null).path("gateHistory").entityList(Map.class).hasSize(0);
	}

	private GraphQlTester.Response gateOf(String token, String referenceId) {
		return as(token).documentName("verificationGateOf")
			.variable("referenceId", referenceId)
			.variable("templateId", TEMPLATE)
			.execute();
	}

	private GraphQlTester.Response history(String token, String referenceId, Integer first) {
		GraphQlTester.Request<?> request = as(token).documentName("gateHistory")
			.variable("referenceId", referenceId)
			.variable("templateId", TEMPLATE);
		return ((first != null) ? request.variable("first", first) : request).execute();
	}

	private GraphQlTester.Response refresh(String token, String referenceId, String note) {
		return as(token).documentName("refreshVerificationGate")
			.variable("referenceId", referenceId)
			.variable("templateId", TEMPLATE)
			.variable("note", note)
			.variable("clientMutationId", "op-1")
			.execute();
	}

	private GraphQlTester.Response grant(String token, String referenceId, String reason) {
		return as(token).documentName("grantInquiryAttempt")
			.variable("referenceId", referenceId)
			.variable("templateId", TEMPLATE)
			.variable("reason", reason)
			.variable("clientMutationId", "op-1")
			.execute();
	}

	private GraphQlTester.Response own(String user) {
		return as(TestTokens.forUser(user)).documentName("verificationGate").variable("templateId", TEMPLATE).execute();
	}

	private GraphQlTester.Response ensure(String user) {
		return as(TestTokens.forUser(user)).documentName("ensureInquiry").variable("templateId", TEMPLATE).execute();
	}

	private static void assertForbidden(GraphQlTester.Response response, String field) {
		assertClassified(response, field, "FORBIDDEN");
	}

	private static void assertClassified(GraphQlTester.Response response, String field, String classification) {
		response.errors().satisfy((errors) -> {
			assertThat(errors).singleElement().satisfies((ResponseError error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo(classification);
				assertThat(error.getExtensions()).containsEntry("code", classification);
				assertThat(error.getPath()).isEqualTo(field);
			});
		});
	}

	private HttpGraphQlTester as(String token) {
		return this.graphQlTester.mutate().headers((headers) -> headers.setBearerAuth(token)).build();
	}

}
