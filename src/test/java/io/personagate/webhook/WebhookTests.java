package io.personagate.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook endpoint over real HTTP: signatures, duplicates, reordering, and the cache
 * it keeps true.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@AutoConfigureHttpGraphQlTester
class WebhookTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private MeterRegistry meters;

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
	void aSignedApprovalLetsTheUserInOnceAListingConfirmsIt() {
		FakePersona.FakeInquiry pending = persona.seed("user-w1", TEMPLATE, "pending", T0);
		assertThat(decision("user-w1")).isEqualTo("RESUME");
		persona.setStatus(pending.id, "approved", T0.plusSeconds(60));
		byte[] body = PersonaWebhooks.event("approved", "evt_w1", pending.id, "user-w1", TEMPLATE, T0.plusSeconds(60));

		post(body, PersonaWebhooks.sign(body)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("accepted");

		// the event alone writes nothing the gate decides on
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("pending");
		assertThat(decision("user-w1")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("approved");
		assertThat(database.count("select count(*) from webhook_event where event_id = 'evt_w1'")).isEqualTo(1);
	}

	@Test
	void aSignedApprovalPersonaDoesNotConfirmLetsNoOneIn() {
		FakePersona.FakeInquiry pending = persona.seed("user-w2", TEMPLATE, "pending", T0);
		assertThat(decision("user-w2")).isEqualTo("RESUME");
		byte[] body = PersonaWebhooks.event("approved", "evt_w2", pending.id, "user-w2", TEMPLATE, T0.plusSeconds(60));

		post(body, PersonaWebhooks.sign(body)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("accepted");

		assertThat(decision("user-w2")).isEqualTo("RESUME");
		assertThat(decision("user-w2")).isEqualTo("RESUME");
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", pending.id))
			.isEqualTo("pending");
	}

	@Test
	void anEventAboutAnInquiryPersonaNeverHadLeavesNoTrace() {
		assertThat(decision("user-ghost")).isEqualTo("START");
		byte[] body = PersonaWebhooks.event("approved", "evt_ghost", "inq_ghost", "user-ghost", TEMPLATE, T0);

		post(body, PersonaWebhooks.sign(body)).expectStatus().isOk();

		assertThat(decision("user-ghost")).isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
	}

	@Test
	void aFutureDatedEventIsRefusedAndChangesNothing() {
		FakePersona.FakeInquiry approved = persona.seed("user-2099", TEMPLATE, "approved", T0);
		assertThat(decision("user-2099")).isEqualTo("ALLOW");
		Instant farAhead = Instant.parse("2099-01-01T00:00:00Z");
		byte[] declined = PersonaWebhooks.event("declined", "evt_2099", approved.id, "user-2099", TEMPLATE, farAhead);
		byte[] createdAhead = new String(
				PersonaWebhooks.event("declined", "evt_2099_created", approved.id, "user-2099", TEMPLATE, T0),
				StandardCharsets.UTF_8)
			.replaceFirst("\"created-at\":\"[^\"]*\"", "\"created-at\":\"" + farAhead + "\"")
			.getBytes(StandardCharsets.UTF_8);

		for (byte[] body : List.of(declined, createdAhead)) {
			post(body, PersonaWebhooks.sign(body)).expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.outcome")
				.isEqualTo("refused");
		}

		assertThat(decision("user-2099")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(database.string("select status || ' ' || updated_at from persona_inquiry where inquiry_id = ?",
				approved.id))
			.startsWith("approved 2026-");
		assertThat(database.count("select count(*) from webhook_event")).isZero();
	}

	@Test
	void duringRotationTheSecondPairMayBeTheValidOne() {
		byte[] body = PersonaWebhooks.event("started", "evt_rot", "inq_rot", "user-rot", TEMPLATE, T0);
		long now = Instant.now().getEpochSecond();
		String header = WebhookSignature.sign("secret-being-retired", body, now) + " "
				+ WebhookSignature.sign(PersonaWebhooks.SECRET, body, now);

		post(body, header).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("accepted");

		assertThat(database.count("select count(*) from webhook_event where event_id = 'evt_rot'")).isEqualTo(1);
	}

	@Test
	void badSignaturesAreRefusedAndChangeNothing() {
		byte[] body = PersonaWebhooks.event("approved", "evt_bad", "inq_bad", "user-bad", TEMPLATE, T0);
		byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("user-bad", "user-evil")
			.getBytes(StandardCharsets.UTF_8);
		long now = Instant.now().getEpochSecond();
		double badBefore = counter("bad_signature");
		double staleBefore = counter("stale");

		post(body, WebhookSignature.sign("not-the-secret", body, now)).expectStatus().isUnauthorized();
		post(tampered, PersonaWebhooks.sign(body)).expectStatus().isUnauthorized();
		post(body, WebhookSignature.sign(PersonaWebhooks.SECRET, body, now - 600)).expectStatus().isUnauthorized();
		post(body, WebhookSignature.sign(PersonaWebhooks.SECRET, body, now + 600)).expectStatus().isUnauthorized();
		post(body, "t=" + now + ",v1=not-hex").expectStatus().isBadRequest();
		post(body, null).expectStatus().isBadRequest();

		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.count("select count(*) from webhook_event")).isZero();
		assertThat(counter("bad_signature") - badBefore).isEqualTo(2);
		assertThat(counter("stale") - staleBefore).isEqualTo(2);
	}

	@Test
	void absurdSignatureHeadersAreRefusedWithAClientErrorAndChangeNothing() {
		byte[] body = PersonaWebhooks.event("approved", "evt_absurd", "inq_absurd", "user-absurd", TEMPLATE, T0);
		byte[] large = ("{\"pad\":\"" + "x".repeat(1024 * 1024 - 20) + "\"}").getBytes(StandardCharsets.UTF_8);
		String pair = "t=" + Instant.now().getEpochSecond() + ",v1=ab";

		post(body, "t=9223372036854775807,v1=" + "ab".repeat(32)).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Signature timestamp outside the allowed 300 s");
		post(body, "t=-9223372036854775808,v1=" + "ab".repeat(32)).expectStatus().isUnauthorized();
		post(large, (pair + " ").repeat(100).trim()).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("Persona-Signature header malformed");

		assertThat(database.count("select count(*) from webhook_event")).isZero();
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void bodiesThatAreNotEventsOrTooLargeAreRefused() {
		byte[] notJson = "this is not json".getBytes(StandardCharsets.UTF_8);
		byte[] notAnEvent = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
		byte[] huge = ("{\"pad\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes(StandardCharsets.UTF_8);

		post(notJson, PersonaWebhooks.sign(notJson)).expectStatus().isBadRequest();
		post(notAnEvent, PersonaWebhooks.sign(notAnEvent)).expectStatus().isBadRequest();
		post(huge, PersonaWebhooks.sign(huge)).expectStatus().isEqualTo(413);

		assertThat(database.count("select count(*) from webhook_event")).isZero();
	}

	@Test
	void aDuplicateDeliveryIsAcknowledgedAndAppliedOnce() {
		byte[] body = PersonaWebhooks.event("completed", "evt_dup", "inq_dup", "user-dup", TEMPLATE, T0);

		post(body, PersonaWebhooks.sign(body)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("accepted");
		post(body, PersonaWebhooks.sign(body)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("duplicate");

		assertThat(database.count("select count(*) from webhook_event where event_id = 'evt_dup'")).isEqualTo(1);
		assertThat(database.count("select count(*) from persona_inquiry where inquiry_id = 'inq_dup'")).isZero();
	}

	@Test
	void aLateStartedEventLeavesTheUserApproved() {
		persona.seed("user-late", TEMPLATE, "pending", T0);
		String inquiryId = persona.inquiries().get(0).id;
		assertThat(decision("user-late")).isEqualTo("RESUME");
		persona.setStatus(inquiryId, "approved", T0.plus(Duration.ofMinutes(10)));
		byte[] approved = PersonaWebhooks.event("approved", "evt_late_2", inquiryId, "user-late", TEMPLATE,
				T0.plus(Duration.ofMinutes(10)));
		byte[] started = PersonaWebhooks.event("started", "evt_late_1", inquiryId, "user-late", TEMPLATE,
				T0.plus(Duration.ofMinutes(1)));

		post(approved, PersonaWebhooks.sign(approved)).expectStatus().isOk();
		assertThat(decision("user-late")).isEqualTo("ALLOW");
		// Persona never moves an approved inquiry back to pending: refused, no listing
		post(started, PersonaWebhooks.sign(started)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("refused");

		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", inquiryId))
			.isEqualTo("approved");
		assertThat(decision("user-late")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void checkedAtMovesWhenAWebhookConfirmsAStatus() {
		FakePersona.FakeInquiry pending = persona.seed("user-checked", TEMPLATE, "pending", T0);
		Instant listed = checkedAt("user-checked");
		persona.setStatus(pending.id, "approved", T0.plusSeconds(60));
		Instant beforeWebhook = Instant.now();
		byte[] body = PersonaWebhooks.event("approved", "evt_checked", pending.id, "user-checked", TEMPLATE,
				T0.plusSeconds(60));

		post(body, PersonaWebhooks.sign(body)).expectStatus().isOk();

		assertThat(decision("user-checked")).isEqualTo("ALLOW");
		assertThat(checkedAt("user-checked")).isAfterOrEqualTo(beforeWebhook).isAfter(listed);
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void redactionKeepsTheStatusAndRecordsIt() {
		FakePersona.FakeInquiry approved = persona.seed("user-red", TEMPLATE, "approved", T0);
		assertThat(decision("user-red")).isEqualTo("ALLOW");
		persona.redact(approved.id);
		byte[] redacted = PersonaWebhooks.event("redacted", "evt_red_2", approved.id, "user-red", TEMPLATE,
				T0.plus(Duration.ofDays(30)));

		post(redacted, PersonaWebhooks.sign(redacted)).expectStatus().isOk();

		assertThat(decision("user-red")).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(2);
		assertThat(database.string("select status from persona_inquiry where inquiry_id = ?", approved.id))
			.isEqualTo("approved");
		assertThat(database.count(
				"select count(*) from persona_inquiry where inquiry_id = ? and redacted_at is not null", approved.id))
			.isEqualTo(1);
	}

	@Test
	void eventsThisServiceDoesNotNeedAreAcknowledgedAndIgnored() {
		byte[] otherTemplate = PersonaWebhooks.event("approved", "evt_other", "inq_other", "user-o", "itmpl_NotGated",
				T0);
		byte[] unknownName = new String(PersonaWebhooks.event("approved", "evt_unk", "inq_unk", "user-o", TEMPLATE, T0),
				StandardCharsets.UTF_8)
			.replace("\"inquiry.approved\"", "\"inquiry.teleported\"")
			.getBytes(StandardCharsets.UTF_8);

		post(otherTemplate, PersonaWebhooks.sign(otherTemplate)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("ignored");
		post(unknownName, PersonaWebhooks.sign(unknownName)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("ignored");

		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
	}

	@Test
	void legacyTemplateEventsAreTaken() {
		byte[] declined = PersonaWebhooks.event("declined", "evt_leg", "inq_leg", "user-leg", LEGACY_TEMPLATE, T0);

		post(declined, PersonaWebhooks.sign(declined)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.outcome")
			.isEqualTo("accepted");

		assertThat(database.count("select count(*) from webhook_event where event_id = 'evt_leg'")).isEqualTo(1);
	}

	@Test
	void twoHundredConcurrentDeliveriesAreEachAnsweredWithinPersonasWindow() {
		int deliveries = 200;
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<Duration> latencies = Flux.range(0, deliveries).flatMap((i) -> {
			byte[] body = PersonaWebhooks.event("completed", "evt_load_" + i, "inq_load_" + i, "user-load-" + i,
					TEMPLATE, T0);
			return client.post()
				.uri("/webhooks/persona")
				.contentType(MediaType.APPLICATION_JSON)
				.header("Persona-Signature", PersonaWebhooks.sign(body))
				.bodyValue(body)
				.retrieve()
				.toBodilessEntity()
				.elapsed()
				.map((timed) -> Duration.ofMillis(timed.getT1()));
		}, 32).collectList().block(Duration.ofSeconds(60));

		assertThat(latencies).hasSize(deliveries)
			.allSatisfy((latency) -> assertThat(latency).isLessThan(Duration.ofSeconds(5)));
		assertThat(database.count("select count(*) from webhook_event where event_id like 'evt_load_%'"))
			.isEqualTo(deliveries);
		assertThat(persona.requests()).isEmpty();
	}

	private WebTestClient.ResponseSpec post(byte[] body, String signature) {
		return this.webTestClient.post()
			.uri("/webhooks/persona")
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (signature != null) {
					headers.set("Persona-Signature", signature);
				}
			})
			.bodyValue(body)
			.exchange();
	}

	private String decision(String user) {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.build()
			.documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.path("verificationGate.decision")
			.entity(String.class)
			.get();
	}

	private Instant checkedAt(String user) {
		return Instant.parse(this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.build()
			.document("query($t: ID!) { verificationGate(templateId: $t) { checkedAt } }")
			.variable("t", TEMPLATE)
			.execute()
			.path("verificationGate.checkedAt")
			.entity(String.class)
			.get());
	}

	private double counter(String outcome) {
		var counter = this.meters.find("gate.webhooks").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
