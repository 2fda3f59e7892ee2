package io.personagate.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.GateSubscriptions;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestDatabase;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconciliation without webhooks: two running instances on one database, both reading
 * Persona's event list every {@link #INTERVAL}, while the emulator sends no webhook at
 * all. Pages of two events, at most two pages a run, so that a backlog takes several
 * runs.
 */
class ReconcileTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final Duration INTERVAL = Duration.ofSeconds(2);

	/**
	 * What a run may take beyond its interval on a loaded machine: a page of events, and
	 * the writes and the notification of what it applies.
	 */
	private static final Duration RUN_TIME = Duration.ofSeconds(5);

	private static final FakePersona persona = new FakePersona();

	private static final TestDatabase database = IntegrationTestSupport.database();

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		first = start();
		second = start();
	}

	@AfterAll
	static void stop() {
		first.close();
		second.close();
		persona.close();
	}

	@BeforeEach
	void reset() {
		persona.reset();
		database.clear();
	}

	@Test
	void approvalWithoutAWebhookReachesASubscriberWithinOneInterval() {
		FakePersona.FakeInquiry pending = persona.seed("user-quiet", TEMPLATE, "pending",
				Instant.now().minusSeconds(300));

		StepVerifier
			.create(GateSubscriptions.of(GateInstances.port(second), TestTokens.forUser("user-quiet"), TEMPLATE))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "RESUME"))
			.then(() -> persona.simulate(pending.id, FakePersona.Action.APPROVE))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "ALLOW")
				.containsEntry("inquiryStatus", "APPROVED"))
			.thenCancel()
			.verify(INTERVAL.plus(RUN_TIME));

		assertThat(persona.webhookDeliveries()).isEmpty();
		// the event is a hint: the subscriber's gate is read again from a new listing
		assertThat(persona.listCalls()).isEqualTo(2);
		String approval = persona.events().get(persona.events().size() - 1).id();
		assertThat(database.count("select count(*) from webhook_event where event_id = ?", approval)).isEqualTo(1);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("approved");
		assertThat(database.count("select count(*) from gate_audit where action = 'DECISION_CHANGED' and decision = ?",
				"ALLOW"))
			.isEqualTo(1);
		assertThat(database.string("select note from gate_audit where action = 'EVENT_APPLIED' and inquiry_id = ?",
				pending.id))
			.isEqualTo("inquiry.approved " + approval + " (reconciliation; to be confirmed by a listing)");
		assertThat(persona.requests()
			.stream()
			.filter((request) -> request.getUrl().encodedPath().equals("/api/v1/events"))
			.map((request) -> request.getUrl().queryParameter("filter[name]"))).isNotEmpty()
			.allSatisfy((names) -> assertThat(names.split(",")).contains("inquiry.approved", "inquiry.declined")
				.allSatisfy((name) -> assertThat(name).startsWith("inquiry.")));
	}

	@Test
	void aBacklogIsReadOverSeveralRunsOneInstanceAtATimeAndNothingIsMissed() {
		persona.latency(200);
		List<FakePersona.FakeInquiry> pending = List.of("user-1", "user-2", "user-3", "user-4", "user-5")
			.stream()
			.map((user) -> persona.seed(user, TEMPLATE, "pending", Instant.now().minusSeconds(300)))
			.toList();
		pending.forEach((inquiry) -> assertThat(decision(first, inquiry.referenceId)).isEqualTo("RESUME"));
		pending.forEach((inquiry) -> persona.simulate(inquiry.id, FakePersona.Action.COMPLETE));
		pending.forEach((inquiry) -> persona.simulate(inquiry.id,
				inquiry.referenceId.equals("user-3") ? FakePersona.Action.DECLINE : FakePersona.Action.APPROVE));

		// ten events, two a page, two pages a run: at least three runs
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(database.count("select count(*) from webhook_event")).isEqualTo(10));

		assertThat(persona.events()).hasSize(10);
		for (FakePersona.FakeEvent event : persona.events()) {
			assertThat(database.count("select count(*) from webhook_event where event_id = ?", event.id()))
				.as(event.name() + " " + event.objectId())
				.isEqualTo(1);
		}
		assertThat(decision(first, "user-1")).isEqualTo("ALLOW");
		assertThat(decision(second, "user-3")).isEqualTo("DENY");
		assertThat(decision(second, "user-5")).isEqualTo("ALLOW");
		assertThat(persona.mostEventListsAtOnce()).isEqualTo(1);
		assertThat(persona.webhookDeliveries()).isEmpty();
		await().atMost(INTERVAL.plus(RUN_TIME))
			.untilAsserted(() -> assertThat(database.count(
					"select count(*) from reconcile_state " + "where resume_after is null and cursor_at >= ?",
					java.sql.Timestamp
						.from(persona.events().get(persona.events().size() - 1).createdAt().minusMillis(1))))
				.isEqualTo(1));
	}

	@Test
	void onceCaughtUpARunReadsOnlyDownToItsCursor() {
		Instant longAgo = Instant.now().minus(Duration.ofHours(2));
		for (String user : List.of("user-old-1", "user-old-2", "user-old-3", "user-old-4")) {
			FakePersona.FakeInquiry old = persona.seed(user, TEMPLATE, "pending", longAgo.minusSeconds(600));
			persona.setStatus(old.id, "declined", longAgo);
		}
		FakePersona.FakeInquiry recent = persona.seed("user-new", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		persona.simulate(recent.id, FakePersona.Action.APPROVE);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(database.count("select count(*) from webhook_event")).isEqualTo(5));
		await().atMost(INTERVAL.plus(RUN_TIME))
			.until(() -> database.count("select count(*) from reconcile_state where resume_after is null "
					+ "and cursor_at is not null") == 1);
		long before = persona.eventListCalls();

		await().atMost(INTERVAL.multipliedBy(2).plus(RUN_TIME)).until(() -> persona.eventListCalls() >= before + 2);

		// the first page reaches below the cursor: no run asks for the older pages again
		assertThat(persona.requests()
			.stream()
			.filter((request) -> request.getUrl().encodedPath().equals("/api/v1/events"))
			.skip(before)
			.filter((request) -> request.getUrl().queryParameter("page[after]") != null)).isEmpty();
		assertThat(database.count("select count(*) from webhook_event")).isEqualTo(5);
		assertThat(decision(first, "user-old-2")).isEqualTo("DENY");
	}

	@SuppressWarnings("unchecked")
	private static String decision(ConfigurableApplicationContext instance, String user) {
		Map<String, Object> response = WebClient.create(GateInstances.baseUrl(instance))
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
			.retrieve()
			.bodyToMono(Map.class)
			.block(Duration.ofSeconds(10));
		return (String) ((Map<String, Object>) ((Map<String, Object>) response.get("data")).get("verificationGate"))
			.get("decision");
	}

	private static ConfigurableApplicationContext start() {
		return GateInstances.start(persona, database, "--gate.reconcile.interval=" + INTERVAL.toSeconds() + "s",
				"--gate.reconcile.page-size=2", "--gate.reconcile.max-pages=2");
	}

}
