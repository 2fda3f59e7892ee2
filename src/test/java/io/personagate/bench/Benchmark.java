package io.personagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.personagate.bench.Results.Measurement;
import io.personagate.bench.Results.ServiceFigures;
import io.personagate.bench.Results.Settings;

import org.springframework.util.FileSystemUtils;

/**
 * The load benchmark ({@code bench/run}): the packaged service against a real PostgreSQL
 * and the Persona emulator, loaded by wrk over loopback, with a ceiling, the scenarios,
 * the scaling sweeps and the no-cache baseline, all in one run; then the report. Run from
 * the repository root, on the test classpath:
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench/classpath.txt) io.personagate.bench.Benchmark [--short]</pre>
 * Options: {@code --short}, {@code --users N}, {@code --persona-latency MS},
 * {@code --out DIR}, {@code --jar FILE}. Environment: {@code BENCH_DB_URL} (a JDBC URL of
 * a PostgreSQL server to use instead of the embedded one), {@code BENCH_JVM_OPTS} (the
 * service's JVM options instead of the default).
 */
public final class Benchmark {

	static final String TEMPLATE = "itmpl_Benchmark000000000000001";

	/** The service's JVM options unless {@code BENCH_JVM_OPTS} says otherwise. */
	static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m");

	private static final int THREADS = 2;

	private static final int CACHED_CONNECTIONS = 64;

	private static final int FEW_CONNECTIONS = 16;

	private static final int PERSONA_CONNECTIONS = 8;

	private final Options options;

	private final Path work = Path.of("target", "bench");

	private final List<AutoCloseable> running = new ArrayList<>();

	private Wrk wrk;

	private BenchDatabase database;

	private BenchPersona.Control persona;

	private String personaUrl;

	private ServiceProcess service;

	/** A token to read the service's metrics with. */
	private String monitorToken;

	private Benchmark(Options options) {
		this.options = options;
	}

	/**
	 * The benchmark, as {@code bench/run} starts it (through {@code bench/Launch.java}:
	 * no main method here, so that {@code ./mvnw spring-boot:test-run} finds the
	 * development application as the only one among the test classes).
	 */
	public static void launch(String[] args) throws Exception {
		Benchmark benchmark = new Benchmark(Options.parse(args));
		Thread cleanup = new Thread(benchmark::stopAll);
		Runtime.getRuntime().addShutdownHook(cleanup);
		try {
			Results results = benchmark.run();
			BenchReport report = new BenchReport(results);
			Path markdown = report.write(benchmark.options.out());
			System.out.println();
			System.out.println(report.summary());
			System.out.println("Report: " + markdown + " (chart: " + markdown.resolveSibling(BenchReport.CHART) + ")");
		}
		finally {
			benchmark.stopAll();
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
		System.exit(0);
	}

	private Results run() throws IOException {
		long began = System.nanoTime();
		String loadBefore = ProcStats.loadAverage();
		FileSystemUtils.deleteRecursively(this.work);
		Files.createDirectories(this.work);
		this.wrk = new Wrk(Path.of("bench", "wrk", "graphql.lua"));
		Options o = this.options;
		List<String> jvmOptions = jvmOptions();

		step("PostgreSQL");
		this.database = (System.getenv("BENCH_DB_URL") != null && !System.getenv("BENCH_DB_URL").isBlank())
				? BenchDatabase.onServer(System.getenv("BENCH_DB_URL"))
				: BenchDatabase.embedded(this.work.resolve("postgres").toAbsolutePath());
		this.running.add(this.database);
		step("Persona emulator, " + o.personaLatency() + " ms per answer");
		this.persona = startPersona(o.personaLatency());

		BenchTokens tokens = new BenchTokens();
		Path publicKey = this.work.resolve("jwt-public-key.pem").toAbsolutePath();
		tokens.writePublicKey(publicKey);
		this.monitorToken = tokens.monitor();
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("persona.rate-limit.requests-per-minute", "1000000");
		// the benchmark measures the service, not its limits: every user may use the
		// whole budget
		settings.put("persona.rate-limit.burst", "100000");
		settings.put("persona.rate-limit.per-user.burst", "1000000");
		settings.put("persona.rate-limit.per-user.requests-per-minute", "1000000");
		settings.put("persona.rate-limit.per-user.max-share", "1.0");
		settings.put("gate.templates[0].id", TEMPLATE);
		settings.put("gate.cache.ttl", "1h");
		List<String> shownSettings = settings.entrySet().stream().map((e) -> e.getKey() + "=" + e.getValue()).toList();
		settings.put("spring.r2dbc.url", this.database.r2dbcUrl());
		settings.put("spring.r2dbc.username", this.database.user());
		settings.put("spring.r2dbc.password", this.database.password());
		settings.put("spring.flyway.url", this.database.jdbcUrl());
		settings.put("spring.flyway.user", this.database.user());
		settings.put("spring.flyway.password", this.database.password());
		settings.put("persona.base-url", this.personaUrl);
		settings.put("persona.api-key", BenchPersona.API_KEY);
		settings.put("spring.security.oauth2.resourceserver.jwt.public-key-location", "file:" + publicKey);
		settings.put("spring.security.oauth2.resourceserver.jwt.audiences", BenchTokens.AUDIENCE);

		step("service: java " + String.join(" ", jvmOptions) + " -jar " + o.jar());
		this.service = startService(jvmOptions, settings, "service.log");
		ServiceFigures started = new ServiceFigures(this.service.startup().toMillis() / 1000.0,
				this.service.startedInSeconds(), 0, 0);
		System.out.printf("   healthy after %.1f s%n", started.startupSeconds());

		step("seeding " + o.users() + " cached users");
		timed(() -> this.database.seedCachedUsers(TEMPLATE, 0, o.users()));

		step("tokens");
		Path cachedTokens = tokenFile(tokens, "cached",
				BenchTokens.sample(BenchPopulation.CACHED, o.users(), o.cachedTokens(), 1));
		int coldUsers = newUsersNeeded(PERSONA_CONNECTIONS, 1, o.duration());
		Path coldTokens = tokenFile(tokens, "cold", BenchTokens.users("cold-", 0, coldUsers));
		int ensureUsers = newUsersNeeded(PERSONA_CONNECTIONS, 2, o.duration());
		Path ensureTokens = tokenFile(tokens, "ensure", BenchTokens.users("ensure-", 0, ensureUsers));
		int warmUsers = newUsersNeeded(PERSONA_CONNECTIONS, 1, o.warmUp());
		Path warmColdTokens = tokenFile(tokens, "warm-cold", BenchTokens.users("warmcold-", 0, warmUsers));
		Path warmEnsureTokens = tokenFile(tokens, "warm-ensure", BenchTokens.users("warmensure-", 0, warmUsers));

		// the paths that call Persona first: code they share with the cached path
		// (Reactor,
		// WebFlux, graphql-java) is then compiled for every caller before the rounds
		// below
		// settle, and not recompiled during the measurements
		step("warm-up of the paths that call Persona, " + o.warmUp().toSeconds() + " s each (not measured)");
		warm(warmColdTokens, "gate", PERSONA_CONNECTIONS);
		warm(warmEnsureTokens, "ensure", PERSONA_CONNECTIONS);
		settle();
		Results.WarmUp warmUp = warmUp(cachedTokens);

		Measurement ceiling = measure("ceiling { __typename }", 0, "ceiling", cachedTokens, o.cachedTokens(), false,
				CACHED_CONNECTIONS, o.duration(), 0);
		// wrk starts each load at the first of its users: the warm-up rounds may not have
		// reached the last ones; one pass over all of them, not measured
		double gateRate = warmUp.gate().get(warmUp.gate().size() - 1);
		warm(cachedTokens, "gate", CACHED_CONNECTIONS, pass(o.cachedTokens(), gateRate));
		Measurement cached = measure("cached gate", o.users(), "gate", cachedTokens, o.cachedTokens(), false,
				CACHED_CONNECTIONS, o.duration(), 0);
		// the latencies at a load that leaves the machine some room: at 64 connections
		// both queue behind two saturated cores
		Measurement ceilingAtFew = measure("ceiling { __typename }, " + FEW_CONNECTIONS + " connections", 0, "ceiling",
				cachedTokens, o.cachedTokens(), false, FEW_CONNECTIONS, o.duration(), 0);
		Measurement cachedAtFew = measure("cached gate, " + FEW_CONNECTIONS + " connections", o.users(), "gate",
				cachedTokens, o.cachedTokens(), false, FEW_CONNECTIONS, o.duration(), 0);
		// every request the first read of its user since the service forgot everything:
		// the PostgreSQL round trip that a memory hit saves
		// enough users for the load at half again the cached gate's rate; each token is
		// an
		// RS256 signature, so no more than that
		int firstReads = (int) Math.min(o.users(),
				Math.max(1_000, Math.ceil(1.5 * cached.load().throughput() * o.sweepDuration().toSeconds())));
		Path firstReadTokens = tokenFile(tokens, "first-read",
				BenchTokens.sample(BenchPopulation.CACHED, o.users(), firstReads, 2));
		this.database.forgetEverywhere();
		ServiceProcess.sleep(500);
		Measurement cachedFirstRead = measure("cached gate, first read of each user", o.users(), "gate",
				firstReadTokens, firstReads, true, CACHED_CONNECTIONS, o.sweepDuration(), 0);
		Measurement cold = measure("cold gate", 0, "gate", coldTokens, coldUsers, true, PERSONA_CONNECTIONS,
				o.duration(), 1);
		Measurement ensure = measure("ensureInquiry, new user", 0, "ensure", ensureTokens, ensureUsers, true,
				PERSONA_CONNECTIONS, o.duration(), 2);

		List<Measurement> cachedSweep = new ArrayList<>();
		for (long population : o.populations()) {
			step("sweep: " + population + " cached users");
			this.database.clear();
			timed(() -> this.database.seedCachedUsers(TEMPLATE, 0, population));
			int count = (int) Math.min(population, o.cachedTokens());
			Path file = tokenFile(tokens, "sweep-" + population,
					BenchTokens.sample(BenchPopulation.CACHED, population, count, population));
			this.database.forgetEverywhere();
			// one pass over the sweep's users, not measured, so that each point is
			// measured
			// as the main cached load is: with its users' entries in memory
			warm(file, "gate", CACHED_CONNECTIONS, pass(count, cached.load().throughput()));
			cachedSweep.add(measure("cached gate, " + population + " cached users", population, "gate", file, count,
					false, CACHED_CONNECTIONS, o.sweepDuration(), 0));
		}

		List<Measurement> coldSweep = new ArrayList<>();
		for (int inquiries : o.inquiries()) {
			int pages = Math.max(1, (inquiries + 99) / 100);
			String prefix = "deep" + inquiries + "-";
			int users = newUsersNeeded(PERSONA_CONNECTIONS, pages, o.sweepDuration());
			step("sweep: cold gate, " + inquiries + " inquiries per user at Persona");
			this.persona.reset();
			this.persona.seedDeep(prefix, 0, users, inquiries, TEMPLATE);
			Path file = tokenFile(tokens, "deep-" + inquiries, BenchTokens.users(prefix, 0, users));
			coldSweep.add(measure("cold gate, " + inquiries + " inquiries", inquiries, "gate", file, users, true,
					PERSONA_CONNECTIONS, o.sweepDuration(), pages));
		}
		ServiceFigures service = figures(this.service, started);
		this.service.close();
		this.running.remove(this.service);

		step("recipe baseline: the service restarted with gate.cache.enabled=false");
		settings.put("gate.cache.enabled", "false");
		this.service = startService(jvmOptions, settings, "service-uncached.log");
		ServiceFigures uncachedStart = new ServiceFigures(this.service.startup().toMillis() / 1000.0,
				this.service.startedInSeconds(), 0, 0);
		int recipeUsers = (int) Math.min(o.users(), newUsersNeeded(PERSONA_CONNECTIONS, 1, o.duration()));
		this.persona.reset();
		this.persona.seedProfiles(BenchPopulation.CACHED, 0, recipeUsers, TEMPLATE);
		Path recipeTokens = tokenFile(tokens, "recipe", BenchTokens.users(BenchPopulation.CACHED, 0, recipeUsers));
		warm(recipeTokens, "gate", PERSONA_CONNECTIONS);
		settle();
		Measurement recipe = measure("recipe baseline (no cache)", o.users(), "gate", recipeTokens, recipeUsers, false,
				PERSONA_CONNECTIONS, o.duration(), 1);
		ServiceFigures uncached = figures(this.service, uncachedStart);
		this.service.close();
		this.running.remove(this.service);

		Settings shown = new Settings(o.shortMode() ? "short" : "full", o.users(), o.personaLatency(), o.warmUp(),
				o.duration(), o.sweepDuration(), THREADS, CACHED_CONNECTIONS, FEW_CONNECTIONS, PERSONA_CONNECTIONS,
				jvmOptions, shownSettings);
		Results.Machine machine = Machines.describe(this.database);
		return new Results(machine, shown, warmUp, ceiling, cached, ceilingAtFew, cachedAtFew, cachedFirstRead, cold,
				ensure, recipe, cachedSweep, coldSweep, service, uncached, loadBefore, ProcStats.loadAverage(),
				Duration.ofNanos(System.nanoTime() - began));
	}

	private BenchPersona.Control startPersona(long latency) throws IOException {
		Path log = this.work.resolve("persona.log");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
				"-cp", System.getProperty("java.class.path"), Path.of("bench", "Launch.java").toString(), "persona",
				Long.toString(latency));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.running.add(() -> {
			process.getOutputStream().close();
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The Persona emulator stopped; its log: " + log);
			}
			String ready = Files.readAllLines(log)
				.stream()
				.filter((line) -> line.startsWith(BenchPersona.READY))
				.findFirst()
				.orElse(null);
			if (ready != null) {
				Map<String, String> fields = new LinkedHashMap<>();
				for (String part : ready.split(" ")) {
					String[] pair = part.split("=", 2);
					if (pair.length == 2) {
						fields.put(pair[0], pair[1]);
					}
				}
				this.personaUrl = fields.get("persona");
				return new BenchPersona.Control(URI.create(fields.get("control")));
			}
			ServiceProcess.sleep(50);
		}
		throw new IllegalStateException("The Persona emulator was not ready within 60 s; its log: " + log);
	}

	private ServiceProcess startService(List<String> jvmOptions, Map<String, String> settings, String log) {
		ServiceProcess started = ServiceProcess.start(this.options.jar(), jvmOptions, settings, this.work.resolve(log));
		this.running.add(started);
		return started;
	}

	private List<String> jvmOptions() {
		String given = System.getenv("BENCH_JVM_OPTS");
		if (given == null || given.isBlank()) {
			return DEFAULT_JVM_OPTIONS;
		}
		return List.of(given.trim().split("\\s+"));
	}

	/**
	 * How many new users a load of {@code duration} on {@code connections} can use up,
	 * with a margin, when each request waits for {@code roundTrips} Persona answers.
	 */
	private int newUsersNeeded(int connections, int roundTrips, Duration duration) {
		double seconds = Math.max(20, this.options.personaLatency()) * roundTrips / 1000.0;
		return (int) Math.ceil(connections / seconds * duration.toSeconds() * 1.5) + 4 * connections;
	}

	private Path tokenFile(BenchTokens tokens, String name, List<String> users) {
		Path file = this.work.resolve("tokens").resolve(name + ".txt");
		tokens.write(file, users);
		return file;
	}

	/**
	 * Rounds of ceiling then cached gate load, until the gate's throughput changes by
	 * less than 5 % twice in a row (at least four rounds in the full run), or the time
	 * allowed is spent.
	 */
	private Results.WarmUp warmUp(Path cachedTokens) {
		Options o = this.options;
		step("warm-up: rounds of ceiling and cached gate, " + o.warmUp().toSeconds() + " s each, until the gate's "
				+ "throughput settles (at most " + o.warmUpLimit().toSeconds() + " s; not measured)");
		long start = System.nanoTime();
		List<Double> ceiling = new ArrayList<>();
		List<Double> gate = new ArrayList<>();
		while (true) {
			ceiling.add(warm(cachedTokens, "ceiling", CACHED_CONNECTIONS).throughput());
			gate.add(warm(cachedTokens, "gate", CACHED_CONNECTIONS).throughput());
			int rounds = gate.size();
			double elapsed = (System.nanoTime() - start) / 1e9;
			boolean settled = rounds >= Math.max(3, o.warmUpMinRounds()) && flat(gate);
			if (settled || elapsed + 2 * o.warmUp().toSeconds() > o.warmUpLimit().toSeconds()) {
				System.out.printf("   %s after %d rounds, %.0f s%n", settled ? "settled" : "stopped", rounds, elapsed);
				return new Results.WarmUp(ceiling, gate, elapsed);
			}
		}
	}

	/** Whether each of the last two rounds is within 5 % of the round before it. */
	private static boolean flat(List<Double> rounds) {
		int n = rounds.size();
		return Math.abs(rounds.get(n - 1) / rounds.get(n - 2) - 1) < 0.05
				&& Math.abs(rounds.get(n - 2) / rounds.get(n - 3) - 1) < 0.05;
	}

	/**
	 * Long enough for a load at {@code throughput} to send each of {@code users} once, at
	 * least a warm-up's length and at most a scenario's (20 s; 4 s in short mode).
	 */
	private Duration pass(int users, double throughput) {
		long seconds = Math.round(Math.ceil(1.2 * users / Math.max(100.0, throughput)));
		return Duration.ofSeconds(
				Math.max(this.options.warmUp().toSeconds(), Math.min(this.options.duration().toSeconds(), seconds)));
	}

	private Wrk.Load warm(Path tokens, String operation, int connections) {
		return warm(tokens, operation, connections, this.options.warmUp());
	}

	private Wrk.Load warm(Path tokens, String operation, int connections, Duration duration) {
		Wrk.Load load = this.wrk.run(this.service.baseUrl(), tokens, operation, TEMPLATE, THREADS, connections,
				duration);
		System.out.printf("   warm-up %-8s %6.0f req/s, p50 %.1f ms, %d errors%n", operation, load.throughput(),
				load.latency().p50(), load.errors());
		return load;
	}

	private Measurement measure(String name, long parameter, String operation, Path tokens, long distinctUsers,
			boolean newUsersOnly, int connections, Duration duration, double expectedCallsPerRequest) {
		step(name + ": " + connections + " connections, " + duration.toSeconds() + " s");
		long pid = this.service.pid();
		long postgres = this.database.serverPid();
		long callsBefore = this.persona.totalCalls();
		ServiceMetrics metricsBefore = ServiceMetrics.scrape(this.service.baseUrl(), this.monitorToken);
		double cpuBefore = ProcStats.cpuSeconds(pid);
		double postgresBefore = (postgres > 0) ? ProcStats.treeCpuSeconds(postgres) : -1;
		double[] machineBefore = ProcStats.machineCpu();
		Wrk.Load load = this.wrk.run(this.service.baseUrl(), tokens, operation, TEMPLATE, THREADS, connections,
				duration);
		double cpu = ProcStats.cpuSeconds(pid) - cpuBefore;
		double postgresCpu = (postgres > 0) ? ProcStats.treeCpuSeconds(postgres) - postgresBefore : -1;
		double[] machineAfter = ProcStats.machineCpu();
		settle();
		long calls = this.persona.totalCalls() - callsBefore;
		ServiceMetrics metrics = ServiceMetrics.scrape(this.service.baseUrl(), this.monitorToken).minus(metricsBefore);
		double busyCores = (machineAfter[0] - machineBefore[0]) / load.seconds();
		Measurement measurement = new Measurement(name, parameter, connections, distinctUsers, newUsersOnly, load,
				calls, metrics.personaMillisPerCall(), metrics.cacheHits(), metrics.memoryHits(),
				expectedCallsPerRequest, cpu, postgresCpu, busyCores);
		System.out.printf(
				"   %,.0f req/s; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms; %d requests, %d errors%s;"
						+ " Persona calls/request %.3f; service CPU %.2f ms/request; %.0f %% from memory%n",
				load.throughput(), load.latency().p50(), load.latency().p99(), load.latency().p999(), load.requests(),
				load.errors(), (load.reused() > 0 && newUsersOnly) ? ", " + load.reused() + " USERS REUSED" : "",
				measurement.callsPerRequest(), measurement.serviceCpuMillisPerRequest(),
				100 * measurement.memoryShare());
		if (load.errors() > 0) {
			System.out.println("   first bad answer: " + load.badSample());
		}
		return measurement;
	}

	/**
	 * Lets requests cut off when wrk stopped finish their calls to Persona (three pages
	 * at most), so that no load counts another's calls.
	 */
	private void settle() {
		ServiceProcess.sleep(3 * this.options.personaLatency() + 500);
	}

	private ServiceFigures figures(ServiceProcess process, ServiceFigures started) {
		return new ServiceFigures(started.startupSeconds(), started.springStartedSeconds(),
				ProcStats.peakRss(process.pid()), ProcStats.cpuSeconds(process.pid()));
	}

	private static void timed(Runnable action) {
		long start = System.nanoTime();
		action.run();
		System.out.printf("   done in %.1f s%n", (System.nanoTime() - start) / 1e9);
	}

	private static void step(String what) {
		System.out.println("== " + what);
	}

	private void stopAll() {
		for (int i = this.running.size() - 1; i >= 0; i--) {
			try {
				this.running.get(i).close();
			}
			catch (Exception ex) {
				System.err.println("Could not stop " + this.running.get(i) + ": " + ex);
			}
		}
		this.running.clear();
	}

	/**
	 * The command line.
	 *
	 * @param shortMode the short run: fewer users, shorter loads, smaller sweeps
	 * @param users cached users of the main scenarios
	 * @param personaLatency the emulator's delay, ms
	 * @param out where the report goes
	 * @param jar the service's jar
	 */
	record Options(boolean shortMode, long users, long personaLatency, Path out, Path jar) {

		static Options parse(String[] args) {
			boolean shortMode = false;
			Long users = null;
			long latency = 150;
			Path out = null;
			Path jar = null;
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--short" -> shortMode = true;
					case "--users" -> users = Long.parseLong(args[++i]);
					case "--persona-latency" -> latency = Long.parseLong(args[++i]);
					case "--out" -> out = Path.of(args[++i]);
					case "--jar" -> jar = Path.of(args[++i]);
					default -> throw new IllegalArgumentException("Unknown option " + args[i]
							+ "; options: --short --users N --persona-latency MS --out DIR --jar FILE");
				}
			}
			if (jar == null) {
				jar = findJar();
			}
			return new Options(shortMode, (users != null) ? users : (shortMode ? 10_000 : 100_000), latency,
					(out != null) ? out
							: (shortMode ? Path.of("target", "bench", "results") : Path.of("bench", "results")),
					jar);
		}

		private static Path findJar() {
			try (var files = Files.list(Path.of("target"))) {
				return files.filter((file) -> file.getFileName().toString().matches("persona-gate-.*\\.jar"))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException(
							"No target/persona-gate-*.jar: build it first (./mvnw -DskipTests package)"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Each warm-up load. */
		Duration warmUp() {
			return Duration.ofSeconds(this.shortMode ? 2 : 8);
		}

		Duration warmUpLimit() {
			return Duration.ofSeconds(this.shortMode ? 4 : 120);
		}

		int warmUpMinRounds() {
			return this.shortMode ? 1 : 4;
		}

		Duration duration() {
			return Duration.ofSeconds(this.shortMode ? 3 : 20);
		}

		Duration sweepDuration() {
			return Duration.ofSeconds(this.shortMode ? 2 : 10);
		}

		/** Distinct users the cached loads cycle through. */
		int cachedTokens() {
			return this.shortMode ? 5_000 : 20_000;
		}

		List<Long> populations() {
			return this.shortMode ? List.of(1_000L, 100_000L) : List.of(1_000L, 100_000L, 1_000_000L);
		}

		List<Integer> inquiries() {
			return this.shortMode ? List.of(1, 100, 250) : List.of(1, 10, 100, 250);
		}

	}

}
