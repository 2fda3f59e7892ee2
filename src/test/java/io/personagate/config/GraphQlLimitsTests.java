package io.personagate.config;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits of {@code gate.graphql} at their defaults, over real HTTP to
 * {@code /graphql} with a valid JWT: an operation too deep or too complex, or a body too
 * large, is refused before anything reaches Persona, while GraphiQL's introspection and a
 * body at the size limit go through.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHttpGraphQlTester
@AutoConfigureWebTestClient
class GraphQlLimitsTests extends IntegrationTestSupport {

	private static final int MAX_REQUEST_BYTES = 16 * 1024;

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private ParsedDocuments documents;

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
	void tooDeepOperationIsRefusedBeforeAnyFieldRuns() {
		user().documentName("tooDeep")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_DEEP");
				assertThat(error.getMessage())
					.isEqualTo("Operation too deep: its fields nest 16 levels and this service allows at most 15. "
							+ "Nest fewer fields.");
			}))
			.path("verificationGate")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	/**
	 * A document's verdict is remembered only where no variable can change it: the same
	 * text, its deepest part included by a variable, is allowed without it and refused
	 * with it, in either order.
	 */
	@Test
	void depthIsJudgedForEachRequestWhereVariablesDecideWhatRuns() {
		String deep = "query($deep: Boolean!) { __type(name: \"VerificationGate\") { fields { type { "
				+ "ofType { ".repeat(11) + "ofType @include(if: $deep) { name } " + "} ".repeat(11) + "name } } } }";
		for (int round = 0; round < 2; round++) {
			user().document(deep).variable("deep", false).execute().path("__type.fields").hasValue();
			user().document(deep)
				.variable("deep", true)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement()
					.satisfies((error) -> assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_DEEP")));
		}
	}

	@Test
	void tooComplexOperationIsRefusedBeforeAnyFieldRuns() {
		user().documentName("tooComplex")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_COMPLEX");
				assertThat(error.getMessage()).isEqualTo("Operation too complex: it would resolve more than 250 fields "
						+ "(fragments counted wherever they are spread, each alias counted) and this service allows at "
						+ "most 250. Select fewer fields or aliases, or split it into several operations.");
			}))
			.path("gate1")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void fieldsOfAFragmentCountWhereverItIsSpread() {
		user().documentName("fragmentReuse")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_COMPLEX")))
			.path("g1")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	/**
	 * Each fragment spreads the one before twice: 40 short lines that would expand to
	 * 2^40 selections. Refused from a count that expands nothing.
	 */
	@Test
	void nestedFragmentsAreRefusedWithoutBeingExpanded() {
		StringBuilder document = new StringBuilder("query($t: ID!) { verificationGate(templateId: $t) { ...f40 } }\n");
		document.append("fragment f0 on VerificationGate { decision }\n");
		for (int i = 1; i <= 40; i++) {
			document.append("fragment f%d on VerificationGate { ...f%d ...f%d }\n".formatted(i, i - 1, i - 1));
		}

		user().document(document.toString())
			.variable("t", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement()
				.satisfies((error) -> assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_COMPLEX")))
			.path("verificationGate")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void operationWithMoreTokensThanAllowedIsRefusedByTheParser() {
		String text = "{" + "a ".repeat(7_900) + "}";

		post(Map.of("query", text)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors.length()")
			.isEqualTo(1)
			.jsonPath("$.errors[0].extensions.classification")
			.isEqualTo("InvalidSyntax")
			.jsonPath("$.errors[0].message")
			.value(String.class, (message) -> assertThat(message).contains("'grammar' tokens have been presented"));

		assertThat(this.documents.weight()).as("what the refused text left in the cache")
			.isLessThan(ParsedDocuments.weigh(text, 2_001) + 1);
		assertThat(persona.requests()).isEmpty();
	}

	/**
	 * Hundreds of distinct operations just under the token limit, each invalid so that it
	 * also leaves 100 validation errors: kept by count, as before, they held about 210 KB
	 * of heap each (500 of them over 100 MB); weighed, the cache holds at most its 10 MB
	 * and the heap retained after a full collection grows by less than 32 MB. Another
	 * user's cached gate is answered all along.
	 */
	@Test
	void hundredsOfLargeDistinctOperationsKeepTheHeapBounded() {
		persona.seed("user-bystander", TEMPLATE, "approved", Instant.now());
		assertThat(bystanderDecision()).isEqualTo("ALLOW");
		long before = retainedHeap();

		for (int i = 0; i < 500; i++) {
			String text = "{" + "a ".repeat(1_990) + "} #" + i;
			post(Map.of("query", text)).expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.errors[0].extensions.classification")
				.isEqualTo("ValidationError");
			if (i % 50 == 0) {
				assertThat(bystanderDecision()).isEqualTo("ALLOW");
			}
		}

		long retained = retainedHeap() - before;
		System.out.printf("500 large distinct operations: %.1f MB of heap retained, the parsed-operation cache weighs "
				+ "%.1f MB (estimated)%n", retained / 1e6, this.documents.weight() / 1e6);
		assertThat(this.documents.weight()).isLessThanOrEqualTo(DataSize.ofMegabytes(10).toBytes());
		assertThat(retained).as("heap retained by 500 large operations").isLessThan(DataSize.ofMegabytes(32).toBytes());
		assertThat(bystanderDecision()).isEqualTo("ALLOW");
		assertThat(persona.listCalls()).as("only the bystander's first check").isEqualTo(1);
	}

	@Test
	void eachOperationTextIsParsedAndValidatedOnce() {
		String invalid = "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision noSuchField } }";
		double hits = documentHits();

		for (int i = 0; i < 2; i++) {
			user().document(invalid)
				.execute()
				.errors()
				.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
					assertThat(error.getErrorType().toString()).isEqualTo("ValidationError");
					assertThat(error.getMessage()).contains("noSuchField");
				}));
		}

		assertThat(documentHits() - hits).as("the second request found the text parsed and validated").isEqualTo(1);
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void graphiqlIntrospectionIsWithinTheLimits() {
		user().documentName("graphiqlIntrospection")
			.execute()
			.errors()
			.verify()
			.path("__schema.queryType.name")
			.entity(String.class)
			.isEqualTo("Query")
			.path("__schema.types[*].name")
			.entityList(String.class)
			.contains("VerificationGate", "EnsureInquiryPayload", "GateDecision");
	}

	@Test
	void introspectionIsOnByDefault() {
		user().documentName("schemaTypes")
			.execute()
			.errors()
			.verify()
			.path("__schema.types[*].name")
			.entityList(String.class)
			.contains("Query", "VerificationGate");
	}

	@Test
	void bodyAtTheSizeLimitIsAnswered() {
		byte[] body = bodyOfSize(MAX_REQUEST_BYTES);

		post(body).expectStatus().isOk().expectBody().jsonPath("$.data.verificationGate.decision").isEqualTo("START");

		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void bodyOneByteOverTheSizeLimitIsRefusedWith413() {
		byte[] body = bodyOfSize(MAX_REQUEST_BYTES + 1);

		post(body).expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(413);

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void streamedBodyWithoutContentLengthIsHeldToTheSameLimit() {
		streamed(bodyOfSize(MAX_REQUEST_BYTES)).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(1);
		persona.reset();
		database.clear();

		streamed(bodyOfSize(MAX_REQUEST_BYTES + 1)).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	private String bystanderDecision() {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-bystander")))
			.build()
			.documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.path("verificationGate.decision")
			.entity(String.class)
			.get();
	}

	/** Heap in use after a full collection. */
	private static long retainedHeap() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			memory.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	private HttpGraphQlTester user() {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-limits")))
			.build();
	}

	private WebTestClient.ResponseSpec post(Object body) {
		return this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-size")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.ResponseSpec streamed(byte[] body) {
		List<DataBuffer> chunks = new ArrayList<>();
		for (int from = 0; from < body.length; from += 1024) {
			chunks.add(DefaultDataBufferFactory.sharedInstance
				.wrap(Arrays.copyOfRange(body, from, Math.min(from + 1024, body.length))));
		}
		return this.webTestClient.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-size")))
			.contentType(MediaType.APPLICATION_JSON)
			.body(BodyInserters.fromDataBuffers(Flux.fromIterable(chunks)))
			.exchange();
	}

	/**
	 * A valid request for the gate, padded with whitespace inside the query to exactly
	 * {@code size} bytes.
	 */
	private static byte[] bodyOfSize(int size) {
		String head = "{\"query\":\"{ verificationGate(templateId: \\\"" + TEMPLATE + "\\\") { decision } }";
		String tail = "\"}";
		byte[] body = (head + " ".repeat(size - head.length() - tail.length()) + tail)
			.getBytes(StandardCharsets.US_ASCII);
		assertThat(body).hasSize(size);
		return body;
	}

	private double documentHits() {
		return this.meters.get("cache.gets")
			.tag("cache", "graphql.documents")
			.tag("result", "hit")
			.functionCounter()
			.count();
	}

}
