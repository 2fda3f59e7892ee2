package io.personagate.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.InfoLogs;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed arguments of the operator API, over real HTTP: each is refused as a
 * BAD_REQUEST (or UNAUTHORIZED, for the token's subject) naming the argument, before
 * anything reaches PostgreSQL, Persona or a log line; never blamed on the database.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith({ OutputCaptureExtension.class, InfoLogs.class })
class OperatorInputTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String ADMIN = TestTokens.withScopes("support-agent-3", "gate:read", "gate:admin");

	private static final String READER = TestTokens.withScopes("payments-service", "gate:read");

	private static final String GATE_OF = """
			query GateOf($referenceId: ID!, $templateId: ID!) {
			  verificationGateOf(referenceId: $referenceId, templateId: $templateId) { decision reason }
			}""";

	private static final String HISTORY = """
			query History($referenceId: ID!, $templateId: ID!) {
			  gateHistory(referenceId: $referenceId, templateId: $templateId) { action actor }
			}""";

	private static final String REFRESH = """
			mutation Refresh($referenceId: ID!, $templateId: ID!, $note: String, $clientMutationId: String) {
			  refreshVerificationGate(input: { referenceId: $referenceId, templateId: $templateId, note: $note,
			                                   clientMutationId: $clientMutationId }) {
			    clientMutationId gate { decision }
			  }
			}""";

	private static final String GRANT = """
			mutation Grant($referenceId: ID!, $templateId: ID!, $reason: String!, $clientMutationId: String) {
			  grantInquiryAttempt(input: { referenceId: $referenceId, templateId: $templateId, reason: $reason,
			                               clientMutationId: $clientMutationId }) {
			    clientMutationId gate { decision reason }
			  }
			}""";

	/** Four code points, eight UTF-16 units. */
	private static final String EMOJI = "\uD83D\uDE00\uD83D\uDC4D\uD83C\uDF89\uD83D\uDD12";

	@Autowired
	private WebTestClient webTestClient;

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
	void aNulInAnyOperatorArgumentIsABadRequestNamingItNotADatabaseOutage(CapturedOutput output) {
		String nul = "user\u0000x";

		assertRefused(post(READER, GATE_OF, vars("referenceId", nul)), "verificationGateOf", "BAD_REQUEST",
				"referenceId must be at most 255 characters, without control characters");
		assertRefused(post(READER, HISTORY, vars("referenceId", nul)), "gateHistory", "BAD_REQUEST", "referenceId");
		assertRefused(post(ADMIN, REFRESH, vars("referenceId", nul)), "refreshVerificationGate", "BAD_REQUEST",
				"input.referenceId");
		assertRefused(post(ADMIN, REFRESH, vars("referenceId", "user-x", "note", "ticket\u00004711")),
				"refreshVerificationGate", "BAD_REQUEST", "input.note must be at most 1000 characters");
		assertRefused(post(ADMIN, GRANT, vars("referenceId", nul, "reason", "ticket 4711")), "grantInquiryAttempt",
				"BAD_REQUEST", "input.referenceId");
		assertRefused(post(ADMIN, GRANT, vars("referenceId", "user-x", "reason", "ticket\u00004711")),
				"grantInquiryAttempt", "BAD_REQUEST", "input.reason");

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_audit")).isZero();
		assertThat(output.getAll()).doesNotContain("Database unavailable").doesNotContain("DATABASE_UNAVAILABLE");
	}

	@Test
	void aNulInAnAdminTokensSubjectIsUnauthorizedNotADatabaseOutage(CapturedOutput output) {
		String token = TestTokens.withScopes("agent\u0000x", "gate:read", "gate:admin");

		assertRefused(post(token, REFRESH, vars("referenceId", "user-x")), "refreshVerificationGate", "UNAUTHORIZED",
				"The bearer token's 'sub' claim contains control characters");
		assertRefused(post(token, GRANT, vars("referenceId", "user-x", "reason", "ticket 4711")), "grantInquiryAttempt",
				"UNAUTHORIZED", "'sub'");

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_audit")).isZero();
		assertThat(output.getAll()).doesNotContain("Database unavailable");
	}

	@Test
	void aNoteMayHaveLineBreaksAndIsKeptAsWritten() {
		JsonNode answer = post(ADMIN, REFRESH, vars("referenceId", "user-n", "note", "ticket 4711:\nphoto retaken"));

		assertThat(answer.at("/data/refreshVerificationGate/gate/decision").asString()).isEqualTo("START");
		assertThat(database.string("select note from gate_audit where action = 'REFRESHED'"))
			.isEqualTo("ticket 4711:\nphoto retaken");
	}

	@Test
	void theOperatorsClientMutationIdIsBoundedAsTheUsersIs() {
		JsonNode refused = post(ADMIN, REFRESH, vars("referenceId", "user-c", "clientMutationId", "c".repeat(12_000)));
		JsonNode echoed = post(ADMIN, REFRESH, vars("referenceId", "user-c", "clientMutationId", "c".repeat(128)));

		assertRefused(refused, "refreshVerificationGate", "BAD_REQUEST",
				"input.clientMutationId must be at most 128 characters");
		assertThat(refused.toString()).doesNotContain("c".repeat(129));
		assertThat(echoed.at("/data/refreshVerificationGate/clientMutationId").asString()).isEqualTo("c".repeat(128));
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void aReferenceIdIsCountedInCharactersNotUtf16Units() {
		String longest = EMOJI.repeat(63) + "abc";
		assertThat(longest.codePointCount(0, longest.length())).isEqualTo(255);

		JsonNode accepted = post(READER, GATE_OF, vars("referenceId", longest));
		JsonNode refused = post(READER, GATE_OF, vars("referenceId", longest + "d"));

		assertThat(accepted.at("/data/verificationGateOf/decision").asString()).as(accepted.toString())
			.isEqualTo("START");
		assertThat(database.count("select count(*) from gate_check where reference_id = ?", longest)).isEqualTo(1);
		assertRefused(refused, "verificationGateOf", "BAD_REQUEST", "referenceId must be at most 255 characters");
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void theActorIsCutAt255CharactersNeverWithinOne() {
		String subject = EMOJI.repeat(75);
		persona.seed("user-declined", TEMPLATE, "declined", Instant.now().minusSeconds(600));

		JsonNode granted = post(TestTokens.withScopes(subject, "gate:read", "gate:admin"), GRANT,
				vars("referenceId", "user-declined", "reason", "blurry photo"));

		assertThat(granted.at("/data/grantInquiryAttempt/gate/reason").asString()).as(granted.toString())
			.isEqualTo("ATTEMPT_GRANTED");
		assertThat(database.string("select actor from gate_audit where action = 'ATTEMPT_GRANTED'"))
			.isEqualTo(EMOJI.repeat(63) + EMOJI.substring(0, 6));
	}

	@Test
	void aLineBreakInAReferenceIdForgesNoLogLine(CapturedOutput output) {
		String forged = "user-x\n2026-01-01T00:00:00.000Z  INFO 1 --- [persona-gate] [main] [req-x] forged : FORGED-LINE";

		JsonNode answer = post(READER, GATE_OF, vars("referenceId", forged));

		assertRefused(answer, "verificationGateOf", "BAD_REQUEST", "referenceId");
		assertThat(persona.requests()).isEmpty();
		assertThat(output.getAll().lines()).noneMatch((line) -> line.startsWith("2026-01-01T00:00:00.000Z"))
			.noneMatch((line) -> line.contains("FORGED-LINE"));
	}

	private static Map<String, Object> vars(String... pairs) {
		Map<String, Object> variables = new HashMap<>();
		variables.put("templateId", TEMPLATE);
		for (int i = 0; i < pairs.length; i += 2) {
			variables.put(pairs[i], pairs[i + 1]);
		}
		return variables;
	}

	private static void assertRefused(JsonNode answer, String field, String classification, String message) {
		assertThat(answer.at("/data/" + field).isNull()).as(answer.toString()).isTrue();
		assertThat(answer.at("/errors").size()).as(answer.toString()).isEqualTo(1);
		assertThat(answer.at("/errors/0/extensions/classification").asString()).as(answer.toString())
			.isEqualTo(classification);
		assertThat(answer.at("/errors/0/message").asString()).contains(message);
	}

	private JsonNode post(String token, String document, Map<String, Object> variables) {
		return this.webTestClient.mutate()
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document, "variables", variables))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
