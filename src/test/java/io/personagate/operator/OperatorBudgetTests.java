package io.personagate.operator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator token can make the service ask of Persona, over real HTTP: the default
 * budget (50 at once) and the default allowance of an operator (5 at once, all operators
 * together 10), refilled so slowly here (one a minute) that no test outlasts it. Each
 * alias of a request counts; the aliases past the allowance fail on their own, and
 * ordinary users keep the rest of the budget.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "persona.rate-limit.operators.requests-per-minute=1")
@AutoConfigureWebTestClient
class OperatorBudgetTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String READER = TestTokens.withScopes("payments-service", "gate:read");

	private static final String ADMIN = TestTokens.withScopes("support-agent-9", "gate:read", "gate:admin");

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

	/**
	 * Three requests at once, each of 120 aliased verificationGateOf on users never seen:
	 * 5 Persona calls in all, each other alias RATE_LIMITED on its own with the data of
	 * the others kept; then 10 new users, each checking their own gate, are all answered.
	 */
	@Test
	void aliasedReadsOfNewUsersTakeOnlyTheOperatorsAllowanceAndUsersAreStillServed() {
		List<JsonNode> answers = Flux.range(0, 3)
			.flatMap((flood) -> Mono
				.fromCallable(() -> post(READER,
						IntStream.range(0, 120)
							.mapToObj((i) -> "g" + i + ": verificationGateOf(referenceId: \"new-user-" + flood + "-" + i
									+ "\", templateId: \"" + TEMPLATE + "\") { decision }")
							.collect(Collectors.joining(" ", "{ ", " }"))))
				.subscribeOn(Schedulers.boundedElastic()))
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(persona.listCalls()).isEqualTo(5);
		int served = 0;
		for (JsonNode answer : answers) {
			for (int i = 0; i < 120; i++) {
				JsonNode gate = answer.at("/data/g" + i);
				assertThat(gate.isMissingNode()).as("every alias has its own entry in data").isFalse();
				if (!gate.isNull()) {
					assertThat(gate.at("/decision").asString()).isEqualTo("START");
					served++;
				}
			}
			JsonNode errors = answer.at("/errors");
			for (JsonNode error : errors) {
				assertThat(error.at("/extensions/classification").asString()).isEqualTo("RATE_LIMITED");
				assertThat(error.at("/message").asString()).startsWith(
						"This operator (the token's subject) has used their allowance of Persona requests for now");
				assertThat(error.at("/extensions/retryAfterSeconds").asLong()).isPositive();
				assertThat(answer.at("/data/" + error.at("/path/0").asString()).isNull()).isTrue();
			}
		}
		assertThat(served).isEqualTo(5);
		assertThat(answers.stream().mapToInt((answer) -> answer.at("/errors").size()).sum()).isEqualTo(355);
		assertThat(database.count("select count(*) from persona_budget where template_id = 'operator'"))
			.as("the operator's bucket and the operators' share")
			.isEqualTo(2);

		Map<String, Long> users = Flux.range(0, 10)
			.flatMap((i) -> Mono
				.fromCallable(() -> post(TestTokens.forUser("ordinary-user-" + i),
						"{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
				.subscribeOn(Schedulers.boundedElastic()))
			.map((answer) -> answer.at("/data/verificationGate/decision").asString(answer.toString()))
			.collect(Collectors.groupingBy((decision) -> decision, Collectors.counting()))
			.block(Duration.ofSeconds(60));
		assertThat(users).isEqualTo(Map.of("START", 10L));
		assertThat(persona.listCalls()).isEqualTo(15);
	}

	/**
	 * Eighty aliased refreshes of one user, run one after the other as mutations are: the
	 * first 5 ask Persona, the others are refused at once.
	 */
	@Test
	void aliasedRefreshesOfOneUserTakeOnlyTheOperatorsAllowance() {
		JsonNode answer = post(ADMIN,
				IntStream.range(0, 80)
					.mapToObj((i) -> "r" + i + ": refreshVerificationGate(input: {referenceId: \"user-refreshed\", "
							+ "templateId: \"" + TEMPLATE + "\"}) { gate { decision } }")
					.collect(Collectors.joining(" ", "mutation { ", " }")));

		assertThat(persona.listCalls()).isEqualTo(5);
		for (int i = 0; i < 80; i++) {
			if (i < 5) {
				assertThat(answer.at("/data/r" + i + "/gate/decision").asString()).isEqualTo("START");
			}
			else {
				assertThat(answer.at("/data/r" + i).isNull()).isTrue();
			}
		}
		assertThat(answer.at("/errors").size()).isEqualTo(75);
		assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("RATE_LIMITED");
		assertThat(answer.at("/errors/0/path/0").asString()).isEqualTo("r5");
		assertThat(database.count("select count(*) from gate_audit where action = 'REFRESHED'")).isEqualTo(5);
	}

	/**
	 * An operator's allowance is theirs: neither another operator nor a user reading
	 * their own gate is held to it.
	 */
	@Test
	void oneOperatorsAllowanceIsTheirsAlone() {
		post(READER,
				IntStream.range(0, 12)
					.mapToObj((i) -> "g" + i + ": verificationGateOf(referenceId: \"user-" + i + "\", templateId: \""
							+ TEMPLATE + "\") { decision }")
					.collect(Collectors.joining(" ", "{ ", " }")));
		assertThat(persona.listCalls()).isEqualTo(5);

		JsonNode other = post(TestTokens.withScopes("another-service", "gate:read"),
				"{ verificationGateOf(referenceId: \"user-x\", templateId: \"" + TEMPLATE + "\") { decision } }");
		JsonNode own = post(TestTokens.forUser("user-y"),
				"{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }");

		assertThat(other.at("/data/verificationGateOf/decision").asString()).isEqualTo("START");
		assertThat(own.at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(7);
	}

	private JsonNode post(String token, String document) {
		return this.webTestClient.mutate()
			.responseTimeout(Duration.ofSeconds(60))
			.build()
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
