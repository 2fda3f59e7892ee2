package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one user can make the service ask of Persona, over real HTTP: a small budget (20
 * at once, then one a minute) of which one user may take a quarter, and per template a
 * burst of 4 then one a minute (so slow that no test outlasts it). The service's clock is
 * moved past the cache's freshness so that each check would go to Persona.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "persona.rate-limit.requests-per-minute=21", "persona.rate-limit.burst=20",
				"persona.rate-limit.per-user.burst=4", "persona.rate-limit.per-user.requests-per-minute=1",
				"persona.rate-limit.per-user.max-share=0.25" })
@AutoConfigureWebTestClient
@Import(MutableClockConfiguration.class)
class PersonaAllowanceTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private MutableClock clock;

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
	void aUserOverTheirAllowanceIsToldWhenToRetryAndPersonaIsNotCalled() {
		for (int i = 0; i < 4; i++) {
			assertThat(gate("user-eager", TEMPLATE).at("/data/verificationGate/decision").asString())
				.isEqualTo("START");
			this.clock.advance(Duration.ofSeconds(61));
		}

		JsonNode refused = gate("user-eager", TEMPLATE);

		assertThat(refused.at("/data/verificationGate/decision").isMissingNode()).isTrue();
		JsonNode error = refused.at("/errors/0");
		assertThat(error.at("/extensions/classification").asString()).isEqualTo("RATE_LIMITED");
		assertThat(error.at("/message").asString())
			.startsWith("This user has made too many identity checks on this template for now; nothing was decided.");
		assertThat(error.at("/extensions/retryAfterSeconds").asLong()).isBetween(1L, 60L);
		assertThat(Instant.parse(error.at("/extensions/retryAt").asString())).isAfter(this.clock.instant());
		assertThat(persona.listCalls()).isEqualTo(4);
		assertThat(gate("user-patient", TEMPLATE).at("/data/verificationGate/decision").asString()).isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(5);
		assertThat(database.count("select count(*) from persona_budget where reference_id = 'user-eager'"))
			.as("the user's share and their allowance on the template")
			.isEqualTo(2);
	}

	/**
	 * One user checks both templates over and over, each time due for Persona: a quarter
	 * of the budget's 20 is all they get; the 15 users who come next are all answered.
	 */
	@Test
	void oneUserTakesNoMoreThanTheirShareAndOthersFirstChecksGetThrough() {
		int greedyAnswers = 0;
		for (int i = 0; i < 40; i++) {
			JsonNode answer = gate("user-greedy", (i % 2 == 0) ? TEMPLATE : LEGACY_TEMPLATE);
			if (answer.at("/errors").isMissingNode()) {
				greedyAnswers++;
			}
			else {
				assertThat(answer.at("/errors/0/extensions/classification").asString()).isEqualTo("RATE_LIMITED");
			}
			this.clock.advance(Duration.ofSeconds(61));
		}

		assertThat(greedyAnswers).isEqualTo(5);
		assertThat(persona.listCalls()).isEqualTo(5);
		Map<String, Long> others = IntStream.range(0, 15)
			.mapToObj((i) -> gate("user-other-" + i, TEMPLATE).at("/data/verificationGate/decision").asString())
			.collect(Collectors.groupingBy((decision) -> decision, Collectors.counting()));
		assertThat(others).isEqualTo(Map.of("START", 15L));
		assertThat(persona.listCalls()).isEqualTo(20);
		assertThat(database.count("select count(*) from gate_check")).isEqualTo(1 + 1 + 15);
	}

	/**
	 * Fifty aliases of ensureInquiry in one request, on a pending inquiry: Persona
	 * resumes it once, and every alias gets that one session token.
	 */
	@Test
	void aliasedEnsureInquiryResumesOnceAndReusesTheSessionToken() {
		FakePersona.FakeInquiry pending = persona.seed("user-alias", TEMPLATE, "pending",
				Instant.now().minusSeconds(60));
		String mutation = IntStream.rangeClosed(1, 50)
			.mapToObj((i) -> "e" + i + ": ensureInquiry(input: {templateId: \"" + TEMPLATE
					+ "\"}) { inquiryId sessionToken }")
			.collect(Collectors.joining(" ", "mutation { ", " }"));

		JsonNode answer = post("user-alias", mutation);

		assertThat(answer.at("/errors").isMissingNode()).as(answer.toString()).isTrue();
		for (int i = 1; i <= 50; i++) {
			assertThat(answer.at("/data/e" + i + "/inquiryId").asString()).isEqualTo(pending.id);
			assertThat(answer.at("/data/e" + i + "/sessionToken").asString())
				.isEqualTo(answer.at("/data/e1/sessionToken").asString())
				.startsWith("session-for-" + pending.id);
		}
		assertThat(persona.resumeCalls()).isEqualTo(1);
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(database.count("select count(*) from gate_audit where action = 'INQUIRY_RESUMED'")).isEqualTo(1);

		this.clock.advance(Duration.ofMinutes(11));
		JsonNode later = post("user-alias", mutation.substring(0, mutation.indexOf(" e2:")) + " }");

		assertThat(later.at("/data/e1/sessionToken").asString()).startsWith("session-for-" + pending.id);
		assertThat(persona.resumeCalls()).as("a token is not kept past gate.session-tokens.reuse-for").isEqualTo(2);
	}

	private JsonNode gate(String user, String template) {
		return post(user, "{ verificationGate(templateId: \"" + template + "\") { decision } }");
	}

	/**
	 * Fifty serial mutations, each with its claim and reads, take longer than the test
	 * client's default five seconds on a loaded machine.
	 */
	private JsonNode post(String user, String document) {
		return this.webTestClient.mutate()
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
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
