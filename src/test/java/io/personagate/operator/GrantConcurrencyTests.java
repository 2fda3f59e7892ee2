package io.personagate.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestDatabase;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One grant, one new inquiry: two running instances of the service on one database,
 * operators granting at the same moment on both, and the user's many devices calling
 * ensureInquiry on both.
 */
class GrantConcurrencyTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final String USER = "user-granted";

	private static final int GRANTS = 6;

	private static final int CALLS = 16;

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

	@Test
	void simultaneousGrantsAndEnsuresAcrossInstancesCreateExactlyOneInquiry() {
		database.clear();
		persona.reset();
		FakePersona.FakeInquiry declined = persona.seed(USER, TEMPLATE, "declined", Instant.now().minusSeconds(600));
		List<WebClient> instances = List.of(client(first), client(second));
		String admin = TestTokens.withScopes("support-agent", "gate:admin");

		List<JsonNode> grants = Flux.range(0, GRANTS)
			.flatMap(
					(i) -> post(instances.get(i % 2), admin,
							"mutation { grantInquiryAttempt(input: {referenceId: \"" + USER + "\", templateId: \""
									+ TEMPLATE + "\", reason: \"grant " + i + "\"}) { gate { decision reason } } }"),
					GRANTS)
			.collectList()
			.block(Duration.ofSeconds(60));
		// each grant either went through or found the gate no longer DENY
		assertThat(grants).allSatisfy((json) -> {
			if (json.path("errors").isEmpty()) {
				assertThat(json.at("/data/grantInquiryAttempt/gate/reason").asString()).isEqualTo("ATTEMPT_GRANTED");
			}
			else {
				assertThat(json.at("/errors/0/extensions/classification").asString()).isEqualTo("BAD_REQUEST");
			}
		});
		assertThat(grants.stream().filter((json) -> json.path("errors").isEmpty())).isNotEmpty();

		persona.latency(100);
		String user = TestTokens.forUser(USER);
		List<JsonNode> answers = Flux.range(0, CALLS)
			.flatMap((i) -> post(instances.get(i % 2), user,
					"mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
							+ "\"}) { inquiryId created gate { decision reason } } }"),
					CALLS)
			.collectList()
			.block(Duration.ofSeconds(90));

		// a call that waited too long for the others is told BUSY, to retry; none may
		// see another inquiry than the one created
		assertThat(answers).hasSize(CALLS)
			.allSatisfy((json) -> assertThat(json.path("errors").isMissingNode()
					|| json.at("/errors/0/extensions/classification").asString().equals("BUSY"))
				.as(json.toString())
				.isTrue());
		Set<String> ids = answers.stream()
			.filter((json) -> json.path("errors").isMissingNode())
			.map((json) -> json.at("/data/ensureInquiry/inquiryId").asString())
			.collect(Collectors.toSet());
		assertThat(ids).singleElement().asString().startsWith("inq_").isNotEqualTo(declined.id);
		String created = ids.iterator().next();
		assertThat(answers.stream().filter((json) -> json.at("/data/ensureInquiry/created").asBoolean())).hasSize(1);
		assertThat(persona.createCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).hasSize(2);
		assertThat(database.count("select count(*) from persona_inquiry where reference_id = ?", USER)).isEqualTo(2);
		// every grant given was used by that one inquiry
		assertThat(database.count("select count(*) from inquiry_grant where inquiry_id is distinct from ?", created))
			.isZero();
		assertThat(database.count("select count(*) from inquiry_claim")).isZero();

		// declined again: no grant is left
		persona.setStatus(created, "declined", Instant.now());
		JsonNode refreshed = post(instances.get(0), admin, "mutation { refreshVerificationGate(input: {referenceId: \""
				+ USER + "\", templateId: \"" + TEMPLATE + "\"}) { gate { decision reason } } }")
			.block(Duration.ofSeconds(30));
		assertThat(refreshed.at("/data/refreshVerificationGate/gate/decision").asString()).isEqualTo("DENY");
		List<JsonNode> again = Flux.range(0, 4)
			.concatMap((i) -> post(instances.get(i % 2), user,
					"mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
							+ "\"}) { inquiryId created gate { decision } } }"))
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(again).allSatisfy(
				(json) -> assertThat(json.at("/data/ensureInquiry/gate/decision").asString()).isEqualTo("DENY"));
		assertThat(persona.createCalls()).isEqualTo(1);
	}

	private static Mono<JsonNode> post(WebClient client, String token, String operation) {
		return client.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", operation))
			.retrieve()
			.bodyToMono(JsonNode.class);
	}

	private static WebClient client(ConfigurableApplicationContext context) {
		return WebClient.builder().baseUrl(GateInstances.baseUrl(context)).build();
	}

	private static ConfigurableApplicationContext start() {
		return GateInstances.start(persona, database, "--spring.r2dbc.pool.max-size=4",
				"--spring.r2dbc.pool.initial-size=1");
	}

}
