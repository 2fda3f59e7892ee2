package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GraphQlSocket;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies of real KYC programs through {@code /graphql}: a cooldown after a failed
 * inquiry, approvals that age, a template satisfied by another, and subscribers told when
 * time alone changes the gate. Each test asserts the answer, what Persona was asked and
 * the rows.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gate.templates[0].id=" + GatePoliciesGraphQlTests.BASIC,
				"gate.templates[0].retry-after-failed=1d", "gate.templates[0].approval-valid-for=365d",
				"gate.templates[0].satisfied-by[0]=" + GatePoliciesGraphQlTests.ENHANCED,
				"gate.templates[1].id=" + GatePoliciesGraphQlTests.ENHANCED, "gate.subscriptions.time-check=100ms" })
@AutoConfigureHttpGraphQlTester
@Import(MutableClockConfiguration.class)
class GatePoliciesGraphQlTests extends IntegrationTestSupport {

	static final String BASIC = "itmpl_PolicyBasic000000000001";

	static final String ENHANCED = "itmpl_PolicyEnhanced0000001";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String ADMIN = TestTokens.withScopes("support-agent-9", "gate:read", "gate:admin");

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private MutableClock clock;

	@LocalServerPort
	private int port;

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
	void aFailedUserIsDeniedUntilTheCooldownEndsThenStartsOneMoreInquiry() {
		Instant failedAt = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
		FakePersona.FakeInquiry failed = persona.seed("user-failed", BASIC, "failed", failedAt.minusSeconds(600))
			.decidedAt(failedAt);

		GraphQlTester.Traversable denied = gate("user-failed", BASIC);
		denied.path("verificationGate.decision").entity(String.class).isEqualTo("DENY");
		denied.path("verificationGate.reason").entity(String.class).isEqualTo("FAILED");
		denied.path("verificationGate.attemptsLeft").entity(Integer.class).isEqualTo(2);
		assertThat(moment(denied, "retryAt")).isEqualTo(failedAt.plus(Duration.ofDays(1)));
		denied.path("verificationGate.validUntil").valueIsNull();
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = ? and failed_at = ?",
				failed.id, OffsetDateTime.ofInstant(failedAt, ZoneOffset.UTC)))
			.isEqualTo(1);
		ensure("user-failed", BASIC).path("ensureInquiry.created").entity(Boolean.class).isEqualTo(false);
		assertThat(persona.createCalls()).isZero();

		this.clock.advance(Duration.ofHours(22));

		GraphQlTester.Traversable open = gate("user-failed", BASIC);
		open.path("verificationGate.decision").entity(String.class).isEqualTo("START");
		open.path("verificationGate.reason").entity(String.class).isEqualTo("RETRY_ALLOWED");
		open.path("verificationGate.retryAt").valueIsNull();
		String created = ensure("user-failed", BASIC).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME")
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();
		assertThat(created).isNotEqualTo(failed.id);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = ?", "user-failed"))
			.isEqualTo(2);
		assertThat(database.string("select reason from gate_decision where reference_id = ? and template_id = ?",
				"user-failed", BASIC))
			.isEqualTo("IN_PROGRESS");
	}

	@Test
	void aDeclineStaysFinalWhenOnlyFailuresAreRetried() {
		Instant declinedAt = Instant.now().minus(Duration.ofHours(2));
		persona.seed("user-declined", BASIC, "declined", declinedAt.minusSeconds(600)).decidedAt(declinedAt);
		this.clock.advance(Duration.ofDays(30));

		GraphQlTester.Traversable denied = gate("user-declined", BASIC);
		denied.path("verificationGate.decision").entity(String.class).isEqualTo("DENY");
		denied.path("verificationGate.reason").entity(String.class).isEqualTo("DECLINED");
		denied.path("verificationGate.retryAt").valueIsNull();
		denied.path("verificationGate.attemptsLeft").entity(Integer.class).isEqualTo(0);
		ensure("user-declined", BASIC).path("ensureInquiry.created").entity(Boolean.class).isEqualTo(false);
		assertThat(persona.createCalls()).isZero();
	}

	@Test
	void anApprovalOlderThanItIsValidForAsksForANewInquiry() {
		Instant approvedAt = Instant.now().minus(Duration.ofDays(364)).truncatedTo(ChronoUnit.SECONDS);
		FakePersona.FakeInquiry approved = persona
			.seed("user-aging", BASIC, "approved", approvedAt.minus(Duration.ofHours(1)))
			.decidedAt(approvedAt);

		GraphQlTester.Traversable allowed = gate("user-aging", BASIC);
		allowed.path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");
		allowed.path("verificationGate.reason").entity(String.class).isEqualTo("APPROVED");
		assertThat(moment(allowed, "validUntil")).isEqualTo(approvedAt.plus(Duration.ofDays(365)));
		assertThat(database.count(
				"select count(*) from persona_inquiry where inquiry_id = ? and decisioned_at is not null", approved.id))
			.isEqualTo(1);

		this.clock.advance(Duration.ofDays(1));

		GraphQlTester.Traversable aged = gate("user-aging", BASIC);
		aged.path("verificationGate.decision").entity(String.class).isEqualTo("START");
		aged.path("verificationGate.reason").entity(String.class).isEqualTo("APPROVAL_EXPIRED");
		aged.path("verificationGate.inquiryId").entity(String.class).isEqualTo(approved.id);
		aged.path("verificationGate.attemptsLeft").entity(Integer.class).isEqualTo(3);
		aged.path("verificationGate.validUntil").valueIsNull();
		ensure("user-aging", BASIC).path("ensureInquiry.created").entity(Boolean.class).isEqualTo(true);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(database.count("select count(*) from gate_audit where reference_id = ? and reason = ?", "user-aging",
				"APPROVAL_EXPIRED"))
			.isEqualTo(1);
	}

	@Test
	void aPassOfTheTemplateThatSatisfiesThisOneLetsTheUserInWithoutAnInquiry() {
		FakePersona.FakeInquiry enhanced = persona.seed("user-enhanced", ENHANCED, "approved",
				Instant.now().minus(Duration.ofDays(3)));

		GraphQlTester.Traversable allowed = gate("user-enhanced", BASIC);
		allowed.path("verificationGate.decision").entity(String.class).isEqualTo("ALLOW");
		allowed.path("verificationGate.reason").entity(String.class).isEqualTo("SATISFIED_BY_TEMPLATE");
		allowed.path("verificationGate.inquiryId").entity(String.class).isEqualTo(enhanced.id);
		ensure("user-enhanced", BASIC).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("ALLOW");

		assertThat(persona.createCalls()).isZero();
		// one listing per template
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select reason from gate_decision where reference_id = ? and template_id = ?",
				"user-enhanced", BASIC))
			.isEqualTo("SATISFIED_BY_TEMPLATE");
	}

	@Test
	void aSubscriberIsSentTheGateWhenTheCooldownEnds() {
		Instant failedAt = Instant.now().minus(Duration.ofHours(2));
		persona.seed("user-waiting", BASIC, "failed", failedAt.minusSeconds(600)).decidedAt(failedAt);

		try (GraphQlSocket socket = GraphQlSocket.open(this.port, TestTokens.forUser("user-waiting"))
			.awaitAcknowledged(WAIT)) {
			socket.subscribe("cooldown", """
					subscription($templateId: ID!) {
					  verificationGateChanged(templateId: $templateId) { decision reason retryAt }
					}
					""", Map.of("templateId", BASIC));
			JsonNode first = socket.next("cooldown", WAIT).at("/payload/data/verificationGateChanged");
			assertThat(first.path("decision").asString()).isEqualTo("DENY");
			assertThat(first.path("retryAt").isNull()).isFalse();
			assertThat(socket.nothingWithin(Duration.ofMillis(300))).isTrue();

			this.clock.advance(Duration.ofHours(22));

			JsonNode changed = socket.next("cooldown", WAIT).at("/payload/data/verificationGateChanged");
			assertThat(changed.path("decision").asString()).isEqualTo("START");
			assertThat(changed.path("reason").asString()).isEqualTo("RETRY_ALLOWED");
			assertThat(changed.path("retryAt").isNull()).isTrue();
		}
		assertThat(persona.createCalls()).isZero();
		assertThat(database.count("select count(*) from gate_audit where reference_id = ? and reason = ?",
				"user-waiting", "RETRY_ALLOWED"))
			.isEqualTo(1);
	}

	@Test
	void aGrantWithAnExpiryLapsesUnusedAndTheHistoryShowsItAndTheRules() {
		persona.seed("user-grant", BASIC, "declined", Instant.now().minus(Duration.ofHours(3)))
			.decidedAt(Instant.now().minus(Duration.ofHours(2)));
		gate("user-grant", BASIC).path("verificationGate.decision").entity(String.class).isEqualTo("DENY");
		Instant expiresAt = this.clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

		grant("user-grant", expiresAt).path("grantInquiryAttempt.gate.reason")
			.entity(String.class)
			.isEqualTo("ATTEMPT_GRANTED");
		assertThat(database.count("select count(*) from inquiry_grant where reference_id = ? and expires_at = ?",
				"user-grant", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
			.isEqualTo(1);
		GraphQlTester.Traversable history = as(ADMIN).documentName("gateHistoryRules")
			.variable("referenceId", "user-grant")
			.variable("templateId", BASIC)
			.execute()
			.errors()
			.verify();
		history.path("gateHistory[0].action").entity(String.class).isEqualTo("DECISION_CHANGED");
		history.path("gateHistory[0].reason").entity(String.class).isEqualTo("ATTEMPT_GRANTED");
		history.path("gateHistory[0].rule").entity(String.class).isEqualTo("granted attempt");
		history.path("gateHistory[1].action").entity(String.class).isEqualTo("ATTEMPT_GRANTED");
		history.path("gateHistory[1].rule").entity(String.class).isEqualTo("deny-statuses");
		assertThat(
				OffsetDateTime.parse(history.path("gateHistory[1].expiresAt").entity(String.class).get()).toInstant())
			.isEqualTo(expiresAt);
		history.path("gateHistory[2].rule").entity(String.class).isEqualTo("deny-statuses");

		this.clock.advance(Duration.ofHours(2));

		gate("user-grant", BASIC).path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("DENY")
			.path("verificationGate.reason")
			.entity(String.class)
			.isEqualTo("DECLINED");
		ensure("user-grant", BASIC).path("ensureInquiry.created").entity(Boolean.class).isEqualTo(false);
		assertThat(persona.createCalls()).isZero();
		grant("user-grant", this.clock.instant().minusSeconds(1)).errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getMessage()).contains("expiresAt must be in the future")));
		assertThat(database.count("select count(*) from inquiry_grant where reference_id = ?", "user-grant"))
			.isEqualTo(1);
	}

	private GraphQlTester.Response grant(String user, Instant expiresAt) {
		return as(ADMIN).documentName("grantInquiryAttemptUntil")
			.variable("referenceId", user)
			.variable("templateId", BASIC)
			.variable("reason", "support ticket 99")
			.variable("expiresAt", expiresAt.toString())
			.execute();
	}

	private static Instant moment(GraphQlTester.Traversable answer, String field) {
		return OffsetDateTime.parse(answer.path("verificationGate." + field).entity(String.class).get()).toInstant();
	}

	private GraphQlTester.Traversable gate(String user, String template) {
		return as(TestTokens.forUser(user)).documentName("verificationGateWhen")
			.variable("templateId", template)
			.execute()
			.errors()
			.verify();
	}

	private GraphQlTester.Traversable ensure(String user, String template) {
		return as(TestTokens.forUser(user)).documentName("ensureInquiry")
			.variable("templateId", template)
			.execute()
			.errors()
			.verify();
	}

	private HttpGraphQlTester as(String token) {
		return this.graphQlTester.mutate().headers((headers) -> headers.setBearerAuth(token)).build();
	}

}
