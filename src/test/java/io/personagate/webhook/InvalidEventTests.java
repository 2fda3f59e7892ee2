package io.personagate.webhook;

import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.support.InfoLogs;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.PersonaWebhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed webhooks that can never apply, over real HTTP: a reference id with a NUL, a line
 * break or ten kilobytes of text; an inquiry id with a control character. Each is
 * acknowledged (200, outcome {@code invalid}) and counted, before anything reaches
 * PostgreSQL, so that Persona does not deliver it again and again; and none writes a line
 * of its own in the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "persona.base-url=http://127.0.0.1:9")
@AutoConfigureWebTestClient
@ExtendWith({ OutputCaptureExtension.class, InfoLogs.class })
class InvalidEventTests extends IntegrationTestSupport {

	private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

	private static final String FORGED = "\n2026-01-01T00:00:00.000Z  INFO 1 --- [persona-gate] [main] forged : FORGED-LINE";

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MeterRegistry meters;

	@Test
	void eventsThatCanNeverApplyAreAcknowledgedCountedAndStoreNothing(CapturedOutput output) {
		double before = counter("invalid");
		Map<String, byte[]> bodies = Map.of("nul",
				PersonaWebhooks.event("approved", "evt_nul", "inq_nul", "user\u0000x", TEMPLATE, T0), "line break",
				PersonaWebhooks.event("approved", "evt_lf", "inq_lf", "user-x" + FORGED, TEMPLATE, T0), "10 KB",
				PersonaWebhooks.event("approved", "evt_long", "inq_long", "u".repeat(10_240), TEMPLATE, T0),
				"inquiry id", PersonaWebhooks.event("approved", "evt_inq", "inq_\u001b[31m", "user-y", TEMPLATE, T0));

		bodies.forEach((name, body) -> {
			EntityExchangeResult<Map> answer = post(body).expectBody(Map.class).returnResult();
			assertThat(answer.getStatus().value()).as(name).isEqualTo(200);
			assertThat(answer.getResponseBody()).as(name).isEqualTo(Map.of("outcome", "invalid"));
			assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as(name).isNull();
		});

		assertThat(counter("invalid") - before).isEqualTo(4);
		assertThat(counter("database_unavailable")).isZero();
		assertThat(database.count("select count(*) from webhook_event")).isZero();
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.count("select count(*) from gate_audit")).isZero();
		assertThat(output.getAll()).doesNotContain("the database is unavailable");
		assertThat(output.getAll().lines()).noneMatch((line) -> line.startsWith("2026-01-01T00:00:00.000Z"))
			.noneMatch((line) -> line.contains("u".repeat(1001)));
	}

	@Test
	void theSameEventWithAnOrdinaryReferenceIdIsTaken() {
		byte[] body = PersonaWebhooks.event("approved", "evt_ok", "inq_ok", "user-x", TEMPLATE, T0);

		post(body).expectStatus().isOk().expectBody().jsonPath("$.outcome").isEqualTo("accepted");

		assertThat(database.count("select count(*) from webhook_event where event_id = 'evt_ok'")).isEqualTo(1);
	}

	private WebTestClient.ResponseSpec post(byte[] body) {
		return this.webTestClient.post()
			.uri("/webhooks/persona")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Persona-Signature", PersonaWebhooks.sign(body))
			.bodyValue(body)
			.exchange();
	}

	private double counter(String outcome) {
		var counter = this.meters.find("gate.webhooks").tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
