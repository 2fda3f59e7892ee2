package io.personagate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import graphql.ExecutionInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

import static graphql.execution.preparsed.persisted.PersistedQuerySupport.PERSISTED_QUERY_MARKER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Automatic persisted queries over real HTTP, as Apollo's clients send them: a hash alone
 * is answered {@code PersistedQueryNotFound} until it has come once with its text, then
 * answers like the text; a hash that is not the text's is refused and not kept; the kept
 * texts stay within {@code gate.graphql.persisted-queries-max-size}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class PersistedQueriesTests extends IntegrationTestSupport {

	private static final String GATE = "query Gate($templateId: ID!) { verificationGate(templateId: $templateId) "
			+ "{ decision reason inquiryId } }";

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MeterRegistry meters;

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
	void unknownHashIsAnsweredPersistedQueryNotFoundThenTheTextRegistersIt() {
		String hash = sha256(GATE);

		post(null, hash, "user-apq").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data")
			.doesNotExist()
			.jsonPath("$.errors[0].message")
			.isEqualTo("PersistedQueryNotFound")
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("PersistedQueryNotFound")
			.jsonPath("$.errors[0].extensions.classification")
			.isEqualTo("PersistedQueryNotFound");
		assertThat(persona.requests()).as("nothing ran").isEmpty();

		post(GATE, hash, "user-apq").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.doesNotExist()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(1);
		double parsedBefore = documents("cache.gets", "miss");

		post(null, hash, "user-apq-2").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.doesNotExist()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START")
			.jsonPath("$.data.verificationGate.reason")
			.isEqualTo("NO_INQUIRY");
		assertThat(persona.listCalls()).as("the hash alone ran the gate for the second user").isEqualTo(2);
		assertThat(persona.requests().get(1).getUrl().queryParameter("filter[reference-id]")).isEqualTo("user-apq-2");
		assertThat(documents("cache.gets", "miss")).as("the text was not parsed again").isEqualTo(parsedBefore);
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-apq-2'")).isEqualTo(1);
	}

	@Test
	void hashThatIsNotTheTextsIsRefusedAndNotKept() {
		String wrong = sha256(GATE + " ");

		post(GATE, wrong, "user-apq-wrong").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data")
			.doesNotExist()
			.jsonPath("$.errors[0].message")
			.isEqualTo("PersistedQueryIdInvalid")
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("PersistedQueryIdInvalid");
		post(null, wrong, "user-apq-wrong").expectBody()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("PersistedQueryNotFound");

		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void keptTextsStayWithinTheirSize() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		PersistedQueries persisted = new PersistedQueries(2048, registry);
		for (int i = 0; i < 20; i++) {
			String text = "query Gate" + i + "($templateId: ID!) { verificationGate(templateId: $templateId) "
					+ "{ decision reason inquiryId inquiryStatus checkedAt stale } }";
			ExecutionInput input = ExecutionInput.newExecutionInput(text).build();
			persisted.getPersistedQueryDocumentAsync(sha256(text), input, (parse) -> null);
		}

		// each entry weighs its text (125 bytes) and 200: at most 6 fit in 2KB
		assertThat(registry.get("cache.size").tag("cache", "graphql.persisted.queries").gauge().value()).isBetween(1.0,
				6.0);
		assertThat(registry.get("cache.evictions").tag("cache", "graphql.persisted.queries").functionCounter().count())
			.isGreaterThanOrEqualTo(14);
	}

	@Test
	void hashSentWithAnotherTextIsRefusedAndTheSentTextDoesNotRun() {
		String registered = "query Registered($templateId: ID!) { verificationGate(templateId: $templateId) "
				+ "{ decision inquiryId } }";
		String hash = sha256(registered);
		post(registered, hash, "user-apq-other").expectStatus().isOk();
		persona.reset();
		String other = "query Other($templateId: ID!) { verificationGate(templateId: $templateId) { decision } }";

		post(other, hash, "user-apq-other").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data")
			.doesNotExist()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("PersistedQueryIdInvalid");

		assertThat(persona.requests()).as("neither text ran").isEmpty();
		post(null, hash, "user-apq-other").expectBody()
			.jsonPath("$.errors")
			.doesNotExist()
			.jsonPath("$.data.verificationGate")
			.value((gate) -> assertThat(gate.toString()).as("the registered text ran").contains("inquiryId="));
	}

	@Test
	void aHashInUseOutlivesAFloodOfOneOffRegistrations() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		// the default size: 1MB
		PersistedQueries persisted = new PersistedQueries(1024 * 1024, registry);
		String popular = "query Popular($templateId: ID!) { verificationGate(templateId: $templateId) { decision } }";
		persisted.getPersistedQueryDocumentAsync(sha256(popular), ExecutionInput.newExecutionInput(popular).build(),
				(text) -> null);
		String padding = "x".repeat(1000);
		for (int i = 0; i < 1500; i++) {
			String text = "query OneOff" + i + " { __typename } # " + padding;
			persisted.getPersistedQueryDocumentAsync(sha256(text), ExecutionInput.newExecutionInput(text).build(),
					(parsed) -> null);
			if (i % 100 == 0) {
				persisted.getPersistedQueryDocumentAsync(sha256(popular),
						ExecutionInput.newExecutionInput(PERSISTED_QUERY_MARKER).build(), (parsed) -> null);
			}
		}

		assertThat(registry.get("cache.evictions").tag("cache", "graphql.persisted.queries").functionCounter().count())
			.as("the one-offs did not all fit")
			.isGreaterThan(600);
		assertThatNoException().as("the popular hash is still known")
			.isThrownBy(() -> persisted.getPersistedQueryDocumentAsync(sha256(popular),
					ExecutionInput.newExecutionInput(PERSISTED_QUERY_MARKER).build(), (text) -> null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"abc\"", "42", "[1, 2]", "true", "{\"version\": 1, \"sha256Hash\": 7}" })
	void aMalformedPersistedQueryExtensionIsABadRequest(String persistedQuery, CapturedOutput output) {
		this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-apq-bad")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\": \"{ __typename }\", \"extensions\": {\"persistedQuery\": " + persistedQuery + "}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data")
			.doesNotExist()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("BAD_REQUEST")
			.jsonPath("$.errors[0].message")
			.value((message) -> assertThat((String) message).contains("extensions.persistedQuery"));
		assertThat(persona.requests()).isEmpty();
		assertThat(output).doesNotContain("ClassCastException").doesNotContain("ERROR");
	}

	@ParameterizedTest
	@CsvSource({ "'',application/json", "null,application/json", "'',text/event-stream", "null,text/event-stream" })
	void anEmptyOrNullBodyIsABadRequest(String body, String accept) {
		this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-empty")))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.parseMediaType(accept))
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("BAD_REQUEST")
			.jsonPath("$.errors[0].message")
			.value((message) -> assertThat((String) message).contains("GraphQL request"));
		assertThat(persona.requests()).isEmpty();
	}

	private WebTestClient.ResponseSpec post(String query, String hash, String user) {
		Map<String, Object> body = new LinkedHashMap<>();
		if (query != null) {
			body.put("query", query);
		}
		body.put("variables", Map.of("templateId", TEMPLATE));
		body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)));
		return this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private double documents(String meter, String result) {
		return this.meters.get(meter).tag("cache", "graphql.documents").tag("result", result).functionCounter().count();
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
