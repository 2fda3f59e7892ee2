package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
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
 * The one-inquiry promise under concurrency: two running instances of the service on one
 * database, many simultaneous ensureInquiry calls for the same new user.
 */
class EnsureInquiryConcurrencyTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final int CALLS = 40;

	private static final FakePersona persona = new FakePersona();

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
	void simultaneousCallsAcrossInstancesCreateOneInquiry() {
		IntegrationTestSupport.database().clear();
		persona.reset();
		persona.latency(150);
		String token = TestTokens.forUser("user-concurrent");
		List<WebClient> instances = List.of(client(first), client(second));

		AtomicReference<Instant> otherUserAnsweredAt = new AtomicReference<>();
		Mono<Void> otherUser = Mono.delay(Duration.ofMillis(300))
			.then(ensure(instances.get(1), TestTokens.forUser("someone-else")))
			.doOnNext((json) -> otherUserAnsweredAt.set(Instant.now()))
			.then();
		List<JsonNode> answers = Flux.range(0, CALLS)
			.flatMap((i) -> ensure(instances.get(i % 2), token), CALLS)
			.mergeWith(otherUser.then(Mono.empty()))
			.collectList()
			.block(Duration.ofSeconds(60));
		Instant lastAnswerAt = Instant.now();

		assertThat(answers).hasSize(CALLS)
			.allSatisfy((json) -> assertThat(json.path("errors").isMissingNode()).isTrue());
		Set<String> ids = answers.stream()
			.map((json) -> json.path("data").path("ensureInquiry").path("inquiryId").asString())
			.collect(Collectors.toSet());
		assertThat(ids).singleElement().asString().startsWith("inq_");
		assertThat(
				answers.stream().filter((json) -> json.path("data").path("ensureInquiry").path("created").asBoolean()))
			.hasSize(1);
		assertThat(persona.inquiries().stream().filter((i) -> i.referenceId.equals("user-concurrent"))).hasSize(1);
		assertThat(persona.requests()
			.stream()
			.filter((r) -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals("/api/v1/inquiries"))
			.filter((r) -> r.getBody().utf8().contains("user-concurrent"))).hasSize(1);
		assertThat(IntegrationTestSupport.database()
			.count("select count(*) from persona_inquiry where reference_id = ?", "user-concurrent")).isEqualTo(1);
		assertThat(IntegrationTestSupport.database().count("select count(*) from inquiry_claim")).isZero();
		// waiters hold no connection: another user's call went through while the 40 were
		// still queued
		assertThat(otherUserAnsweredAt.get()).isNotNull().isBefore(lastAnswerAt);
	}

	private static Mono<JsonNode> ensure(WebClient client, String token) {
		return client.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query",
					"mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
							+ "\"}) { inquiryId created gate { decision } } }"))
			.retrieve()
			.bodyToMono(JsonNode.class);
	}

	private static WebClient client(ConfigurableApplicationContext context) {
		return WebClient.builder().baseUrl(GateInstances.baseUrl(context)).build();
	}

	private static ConfigurableApplicationContext start() {
		return GateInstances.start(persona, IntegrationTestSupport.database(), "--spring.r2dbc.pool.max-size=4",
				"--spring.r2dbc.pool.initial-size=1");
	}

}
