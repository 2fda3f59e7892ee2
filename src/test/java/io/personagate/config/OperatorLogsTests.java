package io.personagate.config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads in the log at the default levels: nothing for a cached answer;
 * one line for each change of decision, inquiry created or resumed, refusal and Persona
 * fault; each line and each error body with the request's {@code X-Request-Id}; and no
 * line that a caller can forge.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "persona.retry.initial-backoff=10ms", "persona.retry.max-backoff=20ms" })
@ExtendWith({ OutputCaptureExtension.class, InfoLogs.class })
class OperatorLogsTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String GATE = "query Gate { verificationGate(templateId: \"" + TEMPLATE
			+ "\") { decision reason inquiryId } }";

	private static final String ENSURE = "mutation Ensure { ensureInquiry(input: {templateId: \"" + TEMPLATE
			+ "\"}) { created inquiryId gate { decision } } }";

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
	void aCachedAnswerLogsNothingAndTheFirstDecisionOneLine(CapturedOutput output) {
		persona.seed("user-cached", TEMPLATE, "approved", Instant.now());
		Answer first = post(TestTokens.forUser("user-cached"), GATE, "req-first");
		int before = output.getAll().length();

		for (int i = 0; i < 20; i++) {
			Answer cached = post(TestTokens.forUser("user-cached"), GATE, "req-cached-" + i);
			assertThat(cached.body().at("/data/verificationGate/decision").asString()).isEqualTo("ALLOW");
		}

		assertThat(output.getAll().substring(before)).doesNotContain("req-cached-").doesNotContain("io.personagate");
		assertThat(first.body().at("/data/verificationGate/decision").asString()).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(lines(output, "req-first")).singleElement()
			.asString()
			.contains("Gate ALLOW (APPROVED) for reference id user-cached on template " + TEMPLATE);
	}

	@Test
	void aRequestWithoutATokenIsRefusedWithOneLineCarryingItsRequestId(CapturedOutput output) {
		Answer refused = post(null, GATE, "req-no-token");

		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.requestId()).isEqualTo("req-no-token");
		assertThat(lines(output, "req-no-token")).singleElement()
			.asString()
			.contains("Refused POST /graphql: HTTP 401 (no bearer token)");
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void anExpiredTokenIsRefusedWithOneLineSayingWhy(CapturedOutput output) {
		String expired = TestTokens.sign(Map.of("sub", "user-late"), Instant.now().minusSeconds(600));

		Answer refused = post(expired, GATE, "req-expired");

		assertThat(refused.status()).isEqualTo(401);
		assertThat(lines(output, "req-expired")).singleElement()
			.asString()
			.contains("Refused POST /graphql: HTTP 401 (invalid_token: ")
			.contains("expired")
			.doesNotContain(expired);
	}

	@Test
	void aRequestWithoutAnIdGetsOneAndItsLineCarriesIt(CapturedOutput output) {
		Answer refused = post(null, GATE, null);

		assertThat(refused.requestId()).isNotBlank();
		assertThat(lines(output, refused.requestId())).singleElement()
			.asString()
			.contains("Refused POST /graphql: HTTP 401");
	}

	@Test
	void graphQlRefusalsLogOneLineEach(CapturedOutput output) {
		Answer badRequest = post(TestTokens.forUser("user-bad"),
				"query Unknown { verificationGate(templateId: \"itmpl_NotGated\") { decision } }", "req-bad");
		Answer forbidden = post(TestTokens.forUser("user-nosy"),
				"query History { gateHistory(referenceId: \"someone\", templateId: \"" + TEMPLATE + "\") { action } }",
				"req-forbidden");
		Answer invalid = post(TestTokens.forUser("user-typo"), "query Typo { verificationGat { decision } }",
				"req-invalid");

		assertThat(badRequest.body().at("/errors/0/extensions/classification").asString()).isEqualTo("BAD_REQUEST");
		assertThat(forbidden.body().at("/errors/0/extensions/classification").asString()).isEqualTo("FORBIDDEN");
		assertThat(invalid.body().at("/errors/0/extensions/classification").asString()).isEqualTo("ValidationError");
		assertThat(lines(output, "req-bad")).singleElement()
			.asString()
			.contains("Refused GraphQL operation Unknown: BAD_REQUEST ");
		assertThat(lines(output, "req-forbidden")).singleElement()
			.asString()
			.contains("Refused GraphQL operation History: FORBIDDEN ");
		assertThat(lines(output, "req-invalid")).singleElement()
			.asString()
			.contains("Refused GraphQL operation Typo: ValidationError ");
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void errorBodiesCarryTheRequestIdOfTheHeader(CapturedOutput output) {
		Answer malformed = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/graphql")
			.headers((headers) -> {
				headers.setBearerAuth(TestTokens.forUser("user-json"));
				headers.set(CorrelationIds.HEADER, "req-malformed");
			})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\": ")
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class)
				.map((body) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(CorrelationIds.HEADER), body)))
			.block(Duration.ofSeconds(10));
		Answer notFound = WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/no-such-page")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-lost")))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class)
				.map((body) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(CorrelationIds.HEADER), body)))
			.block(Duration.ofSeconds(10));

		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.requestId()).isEqualTo("req-malformed");
		assertThat(malformed.body().at("/requestId").asString()).isEqualTo("req-malformed");
		assertThat(lines(output, "req-malformed")).singleElement()
			.asString()
			.contains("Refused POST /graphql: HTTP 400");
		assertThat(notFound.status()).isEqualTo(404);
		assertThat(notFound.requestId()).isNotBlank();
		assertThat(notFound.body().at("/requestId").asString()).isEqualTo(notFound.requestId());
		assertThat(lines(output, notFound.requestId())).isEmpty();
	}

	@Test
	void aPersonaFaultLogsOneLineHoweverManyAttemptsItTook(CapturedOutput output) {
		persona.failAll(FakePersona.error(503, "Service Unavailable", "down for maintenance"));

		Answer failed = post(TestTokens.forUser("user-fault"), GATE, "req-fault");

		assertThat(failed.body().at("/errors/0/extensions/classification").asString())
			.isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(persona.listCalls()).isEqualTo(3);
		assertThat(lines(output, "req-fault")).singleElement()
			.asString()
			.contains("WARN")
			.contains("Persona unavailable: list inquiries: Persona answered 503 (Service Unavailable: down for "
					+ "maintenance) (Request-Id req_");
	}

	@Test
	void aCreateAndAResumeLogOneLineEachBesideTheChangeOfDecision(CapturedOutput output) {
		Answer created = post(TestTokens.forUser("user-new"), ENSURE, "req-create");
		persona.seed("user-back", TEMPLATE, "expired", Instant.now().minusSeconds(3600))
			.expiredAt(Instant.now().minusSeconds(1800));
		Answer resumed = post(TestTokens.forUser("user-back"), ENSURE, "req-resume");

		assertThat(created.body().at("/data/ensureInquiry/created").asBoolean()).isTrue();
		assertThat(resumed.body().at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("RESUME");
		assertThat(persona.resumeCalls()).isEqualTo(1);
		assertThat(lines(output, "req-create")).hasSize(2)
			.anySatisfy((line) -> assertThat(line).contains("Created inquiry "
					+ created.body().at("/data/ensureInquiry/inquiryId").asString() + " for reference id user-new"))
			.anySatisfy((line) -> assertThat(line).contains("Gate RESUME (IN_PROGRESS) for reference id user-new"));
		assertThat(lines(output, "req-resume")).hasSize(2)
			.anySatisfy((line) -> assertThat(line).contains("Resumed inquiry "
					+ resumed.body().at("/data/ensureInquiry/inquiryId").asString() + " for reference id user-back"))
			.anySatisfy((line) -> assertThat(line).contains("Gate RESUME (IN_PROGRESS) for reference id user-back"));
	}

	@Test
	void whatACallerSendsCannotForgeALine(CapturedOutput output) {
		String forged = "Gate\n2026-01-01T00:00:00.000Z  INFO 1 --- [persona-gate] [main] [req-x] forged : FORGED-LINE";
		WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-forger")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", GATE, "operationName", forged))
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(10));

		assertThat(output.getAll()).contains("Refused GraphQL operation Gate\\u000a2026");
		assertThat(output.getAll().lines())
			.noneMatch((line) -> line.contains("FORGED-LINE") && !line.contains("Refused"));
	}

	/** The log lines of the request with this id. */
	private static List<String> lines(CapturedOutput output, String requestId) {
		return output.getAll().lines().filter((line) -> line.contains("[" + requestId + "] ")).toList();
	}

	private Answer post(String token, String document, String requestId) {
		return WebClient.create("http://127.0.0.1:" + this.port).post().uri("/graphql").headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
			if (requestId != null) {
				headers.set(CorrelationIds.HEADER, requestId);
			}
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class)
				.map((body) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(CorrelationIds.HEADER), body))
				.defaultIfEmpty(new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(CorrelationIds.HEADER), null)))
			.block(Duration.ofSeconds(15));
	}

	private record Answer(int status, String requestId, JsonNode body) {
	}

}
