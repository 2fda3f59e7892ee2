package io.personagate.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestDatabase;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Persona budget for the cluster: three whole instances on one database share
 * {@code persona.rate-limit}, here 60 requests a minute with a burst of 10, against an
 * emulator that, like Persona, answers 429 past 60 requests in its minute.
 */
class PersonaBudgetTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final FakePersona persona = new FakePersona();

	private static final TestDatabase database = IntegrationTestSupport.database();

	private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@BeforeAll
	static void startThreeInstances() {
		for (int i = 0; i < 3; i++) {
			instances.add(GateInstances.start(persona, database, "--persona.rate-limit.requests-per-minute=60",
					"--persona.rate-limit.burst=10", "--spring.r2dbc.pool.max-size=4",
					"--spring.r2dbc.pool.initial-size=1"));
		}
	}

	@AfterAll
	static void stop() {
		instances.forEach(ConfigurableApplicationContext::close);
		persona.close();
	}

	@BeforeEach
	void reset() {
		database.clear();
		persona.reset();
	}

	/**
	 * Cold gates of new users, a dozen at a time spread over the three instances, for
	 * eight seconds: Persona gets no more than the bucket allows in that time (10, plus
	 * 50 a minute), never a request over its limit, and each answer is a decision or a
	 * clear refusal.
	 */
	@Test
	void threeInstancesHammeringColdGatesStayWithinOneBudget() {
		persona.rateLimit(60);
		AtomicInteger users = new AtomicInteger();
		long start = System.nanoTime();
		long end = start + Duration.ofSeconds(8).toNanos();

		List<JsonNode> answers = Flux.range(0, 12)
			.flatMap((lane) -> Flux.range(0, Integer.MAX_VALUE)
				.concatMap((i) -> gate(instances.get((lane + i) % 3), "user-cold-" + users.incrementAndGet()))
				.takeUntil((answer) -> System.nanoTime() > end))
			.collectList()
			.block(Duration.ofSeconds(120));
		double seconds = (System.nanoTime() - start) / 1e9;

		Map<String, Long> outcomes = answers.stream()
			.map((answer) -> answer.at("/errors").isMissingNode()
					? answer.at("/data/verificationGate/decision").asString()
					: answer.at("/errors/0/extensions/classification").asString())
			.collect(Collectors.groupingBy((outcome) -> outcome, Collectors.counting()));
		assertThat(persona.tooManyRequests()).as("requests over Persona's limit").isZero();
		assertThat(persona.listCalls()).as("Persona requests in %.1f s", seconds)
			.isLessThanOrEqualTo((long) Math.floor(10 + seconds * 50 / 60));
		assertThat(outcomes.keySet()).isSubsetOf("START", "UPSTREAM_UNAVAILABLE");
		assertThat(outcomes.get("START")).isEqualTo(persona.listCalls()).isGreaterThanOrEqualTo(10);
		assertThat(database.count("select count(*) from gate_check")).isEqualTo(outcomes.get("START"));
	}

	/**
	 * What a permit costs, next to what it guards: sequential permits on one instance,
	 * against the emulator answering after the 150 ms the project takes for Persona (the
	 * benchmark's default), in one run.
	 */
	@Test
	void aPermitCostsLittleNextToAPersonaCall() {
		PersonaBudget budget = instances.get(0).getBean(PersonaBudget.class);
		persona.latency(150);
		List<Long> permits = new ArrayList<>();
		List<Long> calls = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			long before = System.nanoTime();
			assertThat(gate(instances.get(0), "user-timed-" + i).block(Duration.ofSeconds(30))
				.at("/data/verificationGate/decision")
				.asString()).isEqualTo("START");
			calls.add(System.nanoTime() - before);
		}
		for (int i = 0; i < 200; i++) {
			long before = System.nanoTime();
			// past the bucket's 10, a refusal: the same one statement
			budget.acquire(null).onErrorResume((ex) -> Mono.empty()).block(Duration.ofSeconds(10));
			permits.add(System.nanoTime() - before);
		}

		long permit = median(permits);
		long call = median(calls);
		double ratio = (double) permit / call;
		System.out.printf("Persona budget: a permit takes %.2f ms (median of 200), a cold gate against a 150 ms "
				+ "Persona %.1f ms (median of 10): %.1f %%%n", permit / 1e6, call / 1e6, ratio * 100);
		assertThat(ratio).as("a permit's cost next to a cold gate").isLessThan(0.25);
	}

	private static long median(List<Long> nanos) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	private static Mono<JsonNode> gate(ConfigurableApplicationContext instance, String user) {
		return WebClient.create(GateInstances.baseUrl(instance))
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
			.retrieve()
			.bodyToMono(JsonNode.class);
	}

}
