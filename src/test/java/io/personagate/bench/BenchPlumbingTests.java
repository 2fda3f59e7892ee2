package io.personagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import javax.imageio.ImageIO;

import io.personagate.bench.Results.Measurement;
import io.personagate.store.GateMemory;
import io.personagate.support.IntegrationTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The load benchmark's plumbing on a tiny workload, so that {@code bench/run} cannot rot
 * unnoticed: the seeder, the emulator's control server and seeding, the token tool with a
 * key made for the run, the wrk script and its figures (when wrk is installed), and the
 * report with its chart. The service runs in-process here; the benchmark runs its jar.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchPlumbingTests extends IntegrationTestSupport {

	private static final BenchTokens tokens = new BenchTokens();

	private static final BenchPersona.Emulator emulator = startEmulator();

	private static final BenchPersona.Control persona = new BenchPersona.Control(emulator.controlUrl());

	@LocalServerPort
	private int port;

	@Autowired
	private GateMemory memory;

	@TempDir
	private Path temp;

	@DynamicPropertySource
	static void benchProperties(DynamicPropertyRegistry registry) throws IOException {
		Path key = Files.createTempDirectory("bench-key").resolve("public.pem");
		tokens.writePublicKey(key);
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + key);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> BenchTokens.AUDIENCE);
		registry.add("persona.base-url", emulator::personaUrl);
		registry.add("persona.api-key", () -> BenchPersona.API_KEY);
	}

	@AfterAll
	static void stopEmulator() {
		emulator.close();
	}

	private static BenchPersona.Emulator startEmulator() {
		try {
			return BenchPersona.start(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private BenchDatabase benchDatabase() {
		return BenchDatabase.existing(database.jdbcUrl(), database.user(), database.password());
	}

	@Test
	void seededUsersAreAnsweredFromTheCacheWithTheirProfilesDecision() {
		persona.reset();
		int users = 2 * BenchPopulation.Profile.values().length;
		benchDatabase().seedCachedUsers(TEMPLATE, 0, users);

		for (int user = 0; user < users; user++) {
			BenchPopulation.Profile profile = BenchPopulation.Profile.of(user);
			gate(BenchPopulation.userId(BenchPopulation.CACHED, user)).jsonPath("$.data.verificationGate.decision")
				.isEqualTo(profile.decision)
				.jsonPath("$.data.verificationGate.reason")
				.isEqualTo(profile.reason);
		}

		assertThat(persona.totalCalls()).isZero();
		assertThat(database.count("select count(*) from gate_audit")).as("decisions served as seeded").isZero();
		assertThat(database.count("select count(*) from persona_inquiry"))
			.isEqualTo(2L * Arrays.stream(BenchPopulation.Profile.values()).mapToInt((p) -> p.inquiries).sum());
	}

	@Test
	void afterSeedingTheServiceIsToldToForgetWhatItRemembers() {
		persona.reset();
		BenchDatabase bench = benchDatabase();
		bench.seedCachedUsers(TEMPLATE, 0, 10);
		String user = BenchPopulation.userId(BenchPopulation.CACHED, BenchPopulation.Profile.FAILED.ordinal());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			gate(user).jsonPath("$.data.verificationGate.decision").isEqualTo("DENY");
			return this.memory.get(user, TEMPLATE) != null;
		});

		// seeded again behind the service's back, without the user
		bench.clear();
		bench.seedCachedUsers(TEMPLATE, 0, 5);
		bench.forgetEverywhere();

		Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> this.memory.get(user, TEMPLATE) == null);
		gate(user).jsonPath("$.data.verificationGate.decision").isEqualTo("START");
		assertThat(persona.totalCalls()).as("only the user no longer cached was listed").isEqualTo(1);
	}

	@Test
	void emulatorSeedsProfilesAndDeepListingsThatColdGatesRead() {
		persona.reset();
		int users = BenchPopulation.Profile.values().length;
		persona.seedProfiles("emu-", 0, users, TEMPLATE);

		for (int user = 0; user < users; user++) {
			BenchPopulation.Profile profile = BenchPopulation.Profile.of(user);
			gate(BenchPopulation.userId("emu-", user)).jsonPath("$.data.verificationGate.decision")
				.isEqualTo(profile.decision)
				.jsonPath("$.data.verificationGate.reason")
				.isEqualTo(profile.reason);
		}
		assertThat(persona.calls()).containsEntry("list", (long) users);

		persona.reset();
		persona.seedDeep("deep-", 0, 1, 250, TEMPLATE);
		gate(BenchPopulation.userId("deep-", 0)).jsonPath("$.data.verificationGate.decision").isEqualTo("ALLOW");
		assertThat(persona.calls()).as("250 inquiries in pages of 100").containsEntry("list", 3L);
	}

	@Test
	void tokenSamplesAreDistinctUsers() {
		assertThat(new HashSet<>(BenchTokens.sample("cached-", 1_000_000, 500, 7))).hasSize(500);
		assertThat(BenchTokens.sample("cached-", 10, 500, 7)).hasSize(10)
			.containsExactlyInAnyOrderElementsOf(BenchTokens.users("cached-", 0, 10));
	}

	// last: wrk stops with requests in flight, and the service finishes an ensureInquiry
	// whose caller went away (its listing and create still reach the emulator), so a
	// test after it would count those calls as its own
	@Test
	@Order(Integer.MAX_VALUE)
	void wrkLoadsTheServiceAndItsFiguresAreRead() {
		assumeTrue(Wrk.installed(), "wrk is not installed (apt-get install wrk; bench/run and .ci/run install it): "
				+ "the wrk step of the benchmark is not checked");
		persona.reset();
		benchDatabase().seedCachedUsers(TEMPLATE, 0, 20);
		Path file = this.temp.resolve("tokens.txt");
		tokens.write(file, BenchTokens.users(BenchPopulation.CACHED, 0, 20));
		Wrk wrk = new Wrk(Path.of("bench", "wrk", "graphql.lua"));

		for (String operation : List.of("ceiling", "gate")) {
			Wrk.Load load = wrk.run("http://127.0.0.1:" + this.port, file, operation, TEMPLATE, 2, 4,
					Duration.ofSeconds(1));
			assertThat(load.requests()).as(operation).isPositive();
			assertThat(load.errors()).as(operation + ": " + load.badSample()).isZero();
			assertThat(load.reused()).as("20 tokens cycled").isPositive();
			assertThat(load.latency().p50()).isPositive().isLessThanOrEqualTo(load.latency().p99());
		}
		Path fresh = this.temp.resolve("new-users.txt");
		tokens.write(fresh, BenchTokens.users("ensure-", 0, 2_000));
		Wrk.Load ensure = wrk.run("http://127.0.0.1:" + this.port, fresh, "ensure", TEMPLATE, 2, 2,
				Duration.ofSeconds(1));
		assertThat(ensure.errors()).as(ensure.badSample()).isZero();
		assertThat(ensure.reused()).isZero();
		assertThat(ensure.requests()).isPositive();
		assertThat(persona.calls().get("create")).as("one create per new user; two may be cut off in flight")
			.isBetween(ensure.requests(), ensure.requests() + 2);
		assertThat(ServiceMetrics.scrape("http://127.0.0.1:" + this.port, tokens.monitor()).cacheHits()).isPositive();
	}

	@Test
	void wrkResultLineIsParsed() {
		Wrk.Load load = Wrk
			.parse("""
					Running 1s test @ http://127.0.0.1:8080/graphql
					BENCH_RESULT {"requests":1200,"duration_us":2000000,"bytes":1,"errors":{"connect":0,"read":1,"write":0,"status":2,"timeout":0},"bad":3,"reused":7,"latency_us":{"min":100,"mean":1500.5,"stdev":10.0,"p50":1200,"p90":2000,"p99":9000,"p999":12500,"max":20000},"bad_sample":"500 {\\u0022errors\\u0022:[]}"}
					""");

		assertThat(load.throughput()).isEqualTo(600.0);
		assertThat(load.errors()).isEqualTo(1 + 3);
		assertThat(load.reused()).isEqualTo(7);
		assertThat(load.latency().p50()).isEqualTo(1.2);
		assertThat(load.latency().p999()).isEqualTo(12.5);
		assertThat(load.badSample()).isEqualTo("500 {\"errors\":[]}");
	}

	@Test
	void procStatsReadThisProcess() {
		long pid = ProcessHandle.current().pid();
		// the resident set can grow between two reads; its high-water mark, read second,
		// cannot be below the first
		long rss = ProcStats.rss(pid);
		assertThat(rss).isPositive();
		assertThat(ProcStats.peakRss(pid)).isGreaterThanOrEqualTo(rss);
		assertThat(ProcStats.cpuSeconds(pid)).isPositive();
		double[] machine = ProcStats.machineCpu();
		assertThat(machine[1]).isGreaterThan(machine[0]).isPositive();
	}

	@Test
	void reportStatesEveryTargetAsMetOrMissedAndDrawsTheChart() throws IOException {
		Results results = TinyResults.of(1_000, 900, 24, 200);
		Path markdown = new BenchReport(results).write(this.temp);

		String report = Files.readString(markdown);
		assertThat(report).contains("## Machine", "| cores | 2 (Test CPU) |", "PostgreSQL | 16.0",
				"| cached gate throughput ≥ 85 % of the ceiling's at 64 connections | 900 req/s = **90 %** of 1,000 req/s | met |",
				"| cached gate p99 ≤ 1.3 × the ceiling's at 16 connections | 12.0 ms vs 10.0 ms = **1.20×** | met |",
				"| cold gate p50 ≤ Persona's latency + 15 ms (165 ms) | **200 ms** | **missed** |",
				"| 0 Persona calls per cached gate |", "| cached gate | 64 | 1,000 | 9,000 | 900 | 8.00 | 24.0 |",
				"| 90 % |",
				"| cached gate throughput: from memory / first read from PostgreSQL | 2.0× (900 vs 450 req/s) |",
				"## Sweeps", "10^6", "## What is not ours",
				"![Latency percentiles and throughput by scenario, and the two sweeps](latency.png)");
		assertThat(new BenchReport(results).targets()).hasSize(8);
		var chart = ImageIO.read(this.temp.resolve(BenchReport.CHART).toFile());
		assertThat(chart.getWidth()).isEqualTo(1440);
		assertThat(chart.getHeight()).isEqualTo(880);
	}

	private WebTestClient.BodyContentSpec gate(String userId) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(tokens.sign(userId)))
			.bodyValue(java.util.Map.of("query",
					"query($t: ID!) { verificationGate(templateId: $t) { decision reason inquiryId } }", "variables",
					java.util.Map.of("t", TEMPLATE)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.doesNotExist();
	}

	/** Figures made up for the report's test. */
	static final class TinyResults {

		static Results of(double ceilingRate, double cachedRate, double cachedP99, double coldP50) {
			Results.Machine machine = new Results.Machine(2, 24L << 30, "Test CPU", "Test OS", "Test JDK", "16.0",
					"embedded", "wrk 4.1.0");
			Results.Settings settings = new Results.Settings("full", 100_000, 150, Duration.ofSeconds(8),
					Duration.ofSeconds(20), Duration.ofSeconds(10), 2, 64, 16, 8, List.of("-Xmx256m"),
					List.of("persona.rate-limit.requests-per-minute=1000000"));
			Measurement ceiling = measurement("ceiling", 0, 64, ceilingRate, 5, 20, 0, 0);
			Measurement cached = measurement("cached gate", 100_000, 64, cachedRate, 8, cachedP99, 0, 0);
			Measurement ceilingAtFew = measurement("ceiling, 16", 0, 16, ceilingRate, 2, 10, 0, 0);
			Measurement cachedAtFew = measurement("cached gate, 16", 100_000, 16, cachedRate, 3, cachedP99 / 2, 0, 0);
			Measurement firstRead = measurement("first read", 100_000, 64, cachedRate / 2, 16, 2 * cachedP99, 0, 0);
			Measurement cold = measurement("cold gate", 0, 8, 40, coldP50, 250, 1, 1);
			Measurement ensure = measurement("ensure", 0, 8, 20, 330, 400, 2, 2);
			Measurement recipe = measurement("recipe", 100_000, 8, 45, 170, 200, 1, 1);
			List<Measurement> cachedSweep = List.of(measurement("1e3", 1_000, 64, 700, 8, 20, 0, 0),
					measurement("1e5", 100_000, 64, 700, 8.5, 20, 0, 0),
					measurement("1e6", 1_000_000, 64, 690, 9, 21, 0, 0));
			List<Measurement> coldSweep = List.of(measurement("1", 1, 8, 40, 160, 200, 1, 1),
					measurement("10", 10, 8, 40, 162, 200, 1, 1), measurement("100", 100, 8, 38, 170, 210, 1, 1),
					measurement("250", 250, 8, 15, 480, 520, 3, 3));
			Results.ServiceFigures service = new Results.ServiceFigures(6.5, 5.1, 400L << 20, 300);
			return new Results(machine, settings, new Results.WarmUp(List.of(500.0, 900.0), List.of(300.0, 650.0), 60),
					ceiling, cached, ceilingAtFew, cachedAtFew, firstRead, cold, ensure, recipe, cachedSweep, coldSweep,
					service, service, "1.0", "2.0", Duration.ofMinutes(8));
		}

		private static Measurement measurement(String name, long parameter, int connections, double rate, double p50,
				double p99, double callsPerRequest, double expected) {
			long requests = (long) (rate * 10);
			Wrk.Load load = new Wrk.Load(requests, 10, 0, 0, 0, 0,
					new Wrk.Latency(p50, p50 * 1.5, p99, p99 * 1.2, p99 * 2, p50), "");
			return new Measurement(name, parameter, connections, 1_000, expected > 0, load,
					Math.round(callsPerRequest * requests), 150, (expected > 0) ? 0 : requests,
					(expected > 0) ? 0 : requests * 0.9, expected, requests / 1000.0, requests / 5000.0, 1.9);
		}

	}

}
