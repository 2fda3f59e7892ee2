package io.personagate.bench;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.personagate.bench.Results.Measurement;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Writes a run's report: {@code latest.md} (the machine, the settings, every figure, each
 * target met or missed) and {@code latency.png} (latency percentiles and throughput by
 * scenario, and both sweeps).
 */
final class BenchReport {

	static final String MARKDOWN = "latest.md";

	static final String CHART = "latency.png";

	static final double CACHED_SHARE_OF_CEILING = 0.85;

	static final double CACHED_P99_OF_CEILING = 1.3;

	static final double COLD_ALLOWANCE_MS = 15;

	static final double ENSURE_ALLOWANCE_MS = 20;

	static final double FLAT_WITHIN = 0.20;

	static final long PEAK_RSS_BYTES = 512L * 1024 * 1024;

	private final Results results;

	BenchReport(Results results) {
		this.results = results;
	}

	/**
	 * One target of the issue, judged on this run.
	 *
	 * @param target what is asked
	 * @param figure what was measured
	 * @param met whether it holds
	 */
	record Target(String target, String figure, boolean met) {
	}

	List<Target> targets() {
		Results r = this.results;
		long latency = r.settings().personaLatencyMillis();
		List<Target> targets = new ArrayList<>();
		double share = r.cached().load().throughput() / r.ceiling().load().throughput();
		targets.add(new Target(
				"cached gate throughput ≥ 85 %% of the ceiling's at %d connections".formatted(r.cached().connections()),
				"%s req/s = **%.0f %%** of %s req/s".formatted(rate(r.cached()), 100 * share, rate(r.ceiling())),
				share >= CACHED_SHARE_OF_CEILING && r.cached().clean() && r.ceiling().clean()));
		double p99Ratio = r.cachedAtFew().load().latency().p99() / r.ceilingAtFew().load().latency().p99();
		targets.add(new Target(
				"cached gate p99 ≤ 1.3 × the ceiling's at %d connections".formatted(r.cachedAtFew().connections()),
				"%s ms vs %s ms = **%.2f×**".formatted(ms(r.cachedAtFew().load().latency().p99()),
						ms(r.ceilingAtFew().load().latency().p99()), p99Ratio),
				p99Ratio <= CACHED_P99_OF_CEILING && r.cachedAtFew().clean() && r.ceilingAtFew().clean()));
		targets.add(new Target("cold gate p50 ≤ Persona's latency + 15 ms (%d ms)".formatted(latency + 15),
				"**%s ms**".formatted(ms(r.cold().load().latency().p50())),
				r.cold().load().latency().p50() <= latency + COLD_ALLOWANCE_MS && r.cold().clean()));
		targets
			.add(new Target(
					"ensureInquiry for a new user ≤ 2 Persona round trips + 20 ms (%d ms), p50"
						.formatted(2 * latency + 20),
					"**%s ms**".formatted(ms(r.ensure().load().latency().p50())),
					r.ensure().load().latency().p50() <= 2 * latency + ENSURE_ALLOWANCE_MS && r.ensure().clean()));
		targets.add(new Target("0 Persona calls per cached gate",
				"**%d** calls for %,d requests (the service counted %,.0f cache hits)"
					.formatted(r.cached().personaCalls(), r.cached().load().requests(), r.cached().cacheHits()),
				r.cached().personaCalls() == 0 && r.cachedSweep().stream().allMatch((m) -> m.personaCalls() == 0)));
		List<Measurement> cold = new ArrayList<>();
		cold.add(r.cold());
		cold.addAll(r.coldSweep());
		targets.add(new Target("1 Persona call per cold gate per 100 inquiries",
				cold.stream()
					.map((m) -> "%d inq.: **%.2f**".formatted(m.parameter(), m.callsPerRequest()))
					.collect(Collectors.joining(", ")) + " calls/request",
				cold.stream().allMatch(Measurement::callsAsExpected)));
		double minP50 = r.cachedSweep().stream().mapToDouble((m) -> m.load().latency().p50()).min().orElse(0);
		double maxP50 = r.cachedSweep().stream().mapToDouble((m) -> m.load().latency().p50()).max().orElse(0);
		double spread = (minP50 > 0) ? maxP50 / minP50 - 1 : Double.NaN;
		targets.add(new Target(
				"cached gate latency flat (within 20 %%) from %s to %s cached users, p50".formatted(
						count(r.cachedSweep().get(0).parameter()),
						count(r.cachedSweep().get(r.cachedSweep().size() - 1).parameter())),
				r.cachedSweep()
					.stream()
					.map((m) -> "%s: %s ms".formatted(count(m.parameter()), ms(m.load().latency().p50())))
					.collect(Collectors.joining(", ")) + "; spread **%.0f %%**".formatted(100 * spread),
				spread <= FLAT_WITHIN && r.cachedSweep().stream().allMatch(Measurement::clean)));
		long peak = Math.max(r.service().peakRss(), r.uncachedService().peakRss());
		targets.add(new Target("peak RSS under load ≤ 512 MB (" + String.join(" ", r.settings().jvmOptions()) + ")",
				"**%s**".formatted(mb(peak)), peak > 0 && peak <= PEAK_RSS_BYTES));
		return targets;
	}

	/**
	 * Writes the Markdown report and its chart into {@code directory}; returns the
	 * report.
	 */
	Path write(Path directory) {
		try {
			Files.createDirectories(directory);
			writeChart(directory.resolve(CHART));
			Path markdown = directory.resolve(MARKDOWN);
			Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
			return markdown;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The tables for the console: targets and scenarios. */
	String summary() {
		return targetsTable() + "\n" + scenariosTable();
	}

	String markdown() {
		Results r = this.results;
		Results.Machine m = r.machine();
		Results.Settings s = r.settings();
		StringBuilder md = new StringBuilder();
		md.append("# persona-gate load benchmark\n\n");
		md.append("Written by `bench/run%s` on %s, %s mode; the run took %d min %02d s (build excluded).\n\n".formatted(
				s.mode().equals("short") ? " --short" : "",
				ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
				s.mode(), r.took().toMinutes(), r.took().toSecondsPart()));
		if (s.mode().equals("short")) {
			md.append("**Short mode checks the plumbing, not the targets:** the service is barely warmed (on two cores "
					+ "its JIT needs minutes of load), users are fewer and loads last seconds. Judge the targets on a "
					+ "full run.\n\n");
		}
		md.append("## Machine\n\n| | |\n|---|---|\n");
		md.append("| cores | %d (%s) |\n".formatted(m.cores(), m.cpu()));
		md.append("| memory | %.1f GiB |\n".formatted(m.memory() / (1024.0 * 1024 * 1024)));
		md.append("| OS | %s |\n".formatted(m.os()));
		md.append("| JDK | %s |\n".formatted(m.jdk()));
		md.append("| PostgreSQL | %s, %s |\n".formatted(m.postgres(), m.postgresSetup()));
		md.append("| load generator | %s, on the same machine, over loopback |\n".formatted(m.wrk()));
		md.append(("| load average (1 min) | %s before the run, %s after it: other builds may share this machine, "
				+ "which is why the targets are ratios and figures of one run |\n\n")
			.formatted(r.loadBefore(), r.loadAfter()));

		md.append("## How it ran\n\n");
		md.append(("- The service: its jar, `java %s -jar target/persona-gate-*.jar`, with `%s` (the client-side rate "
				+ "limit raised: the emulator has none, and Persona's 300/min would cap cold gates at 5/s).\n")
			.formatted(String.join(" ", s.jvmOptions()), String.join("`, `", s.serviceSettings())));
		md.append(("- Persona: the tests' emulator (`FakePersona`) in a JVM of its own, answering after %d ms, "
				+ "counting the calls it gets.\n")
			.formatted(s.personaLatencyMillis()));
		md.append(("- %,d cached users seeded with `generate_series` into `persona_inquiry`, `gate_check` and "
				+ "`gate_decision`, one in ten of each profile: ALLOW (approved ×3, completed), DENY (declined, failed, "
				+ "attempts exhausted), UNDER_REVIEW, RESUME, START, their listings stamped as confirmed at seeding; "
				+ "`gate.cache.ttl=1h` keeps the answers that can still change fresh for the whole run, as the 60 s "
				+ "default would not (every answer is then a cache hit: what is measured is the cost of one).\n")
			.formatted(s.users()));
		md.append("- Each instance keeps the cache entries it read in memory (`gate.cache.memory.*`). The cached gate "
				+ "and every sweep point are measured with their users' entries there, as a user's repeated page views "
				+ "find them: one pass over the load's users right before it (for each sweep point, after the seeding "
				+ "and a `NOTIFY gate_changed`) puts them there, not measured. An entry is kept at most "
				+ "`gate.cache.memory.max-age` (5 min), so a user whose entry aged out is read from PostgreSQL again. "
				+ "*Cached gate, first read of each user* "
				+ "is measured right after a `NOTIFY gate_changed` made the service forget everything, each of its "
				+ "users sent once: every answer is a PostgreSQL round trip. *From memory* is the share of answers "
				+ "the service counted as served from memory (`gate_cache_memory_hits_total`).\n");
		md.append(("- wrk, %d threads, each request with the RS256 JWT of another user (a key pair made for the run). "
				+ "Ceiling and cached gate: %d connections, and %d for their latency on a machine not saturated; the scenarios that wait on Persona (cold, ensureInquiry, "
				+ "recipe): %d connections, enough to measure latency without queueing on the service's 16 "
				+ "connections to Persona. Warm-up %d s per kind of request, not measured; then %d s per scenario and "
				+ "%d s per sweep point. wrk is a closed loop: its latencies are per answered request, without "
				+ "correction for coordinated omission.\n\n")
			.formatted(s.threads(), s.cachedConnections(), s.fewConnections(), s.personaConnections(),
					s.warmUp().toSeconds(), s.duration().toSeconds(), s.sweepDuration().toSeconds()));

		md.append(("- Warm-up: first the paths that call Persona (cold gate, ensureInquiry), then %d rounds of ceiling "
				+ "and cached gate load (%.0f s) until both throughputs settled; cached gate req/s by round: %s "
				+ "(ceiling: %s). On two cores the JIT compilers share the CPU with the load, so the service takes "
				+ "minutes to reach its speed; the figures below are after that.\n\n")
			.formatted(r.warmUp().gate().size(), r.warmUp().seconds(), rounds(r.warmUp().gate()),
					rounds(r.warmUp().ceiling())));
		md.append("## Targets\n\n").append(targetsTable()).append('\n');
		md.append("## Scenarios\n\n").append(scenariosTable()).append('\n');
		md.append(("Persona calls/request counts the emulator's calls during the load over the answers wrk received; "
				+ "requests cut off when wrk stopped can add up to one call per connection. Persona ms/call is the service's own measure of its calls (`persona_calls_seconds`), the emulator's latency included. CPU is user + system time "
				+ "from `/proc`: the service's process, PostgreSQL's server and backends; busy cores is the whole "
				+ "machine's, everything included (wrk, the emulator, other people's builds).\n\n"));

		md.append("## Sweeps\n\n### Cached gate by number of cached users\n\n");
		md.append(sweepTable("cached users", r.cachedSweep(), (x) -> count(x.parameter()))).append('\n');
		md.append("### Cold gate by inquiries the user has at Persona (pages of 100)\n\n");
		md.append(sweepTable("inquiries", r.coldSweep(), (x) -> Long.toString(x.parameter()))).append('\n');

		md.append("## Ratios\n\n| | |\n|---|---|\n");
		md.append("| cached gate throughput / ceiling | %.0f %% |\n"
			.formatted(100 * r.cached().load().throughput() / r.ceiling().load().throughput()));
		md.append("| cached gate throughput: from memory / first read from PostgreSQL | %.1f× (%s vs %s req/s) |\n"
			.formatted(r.cached().load().throughput() / r.cachedFirstRead().load().throughput(), rate(r.cached()),
					rate(r.cachedFirstRead())));
		md.append("| first read from PostgreSQL throughput / ceiling | %.0f %% |\n"
			.formatted(100 * r.cachedFirstRead().load().throughput() / r.ceiling().load().throughput()));
		md.append("| cached gate throughput / recipe baseline (at %d vs %d connections) | %.0f× |\n".formatted(
				r.cached().connections(), r.recipe().connections(),
				r.cached().load().throughput() / r.recipe().load().throughput()));
		md.append("| recipe baseline p50 / cached gate p50 | %.0f× (%s ms vs %s ms) |\n".formatted(
				r.recipe().load().latency().p50() / r.cached().load().latency().p50(),
				ms(r.recipe().load().latency().p50()), ms(r.cached().load().latency().p50())));
		md.append("| Persona calls per request: recipe baseline vs cached gate | %.2f vs %.2f |\n"
			.formatted(r.recipe().callsPerRequest(), r.cached().callsPerRequest()));
		md.append("| cold gate p50 − Persona's latency | %s ms |\n"
			.formatted(ms(r.cold().load().latency().p50() - s.personaLatencyMillis())));
		md.append("| ensureInquiry p50 − 2 × Persona's latency | %s ms |\n"
			.formatted(ms(r.ensure().load().latency().p50() - 2 * s.personaLatencyMillis())));
		md.append("| service CPU per cached gate / per ceiling request | %.1f× (%.3f vs %.3f ms) |\n\n".formatted(
				r.cached().serviceCpuMillisPerRequest() / r.ceiling().serviceCpuMillisPerRequest(),
				r.cached().serviceCpuMillisPerRequest(), r.ceiling().serviceCpuMillisPerRequest()));

		md.append(
				"## The service process\n\n| | with its cache | recipe baseline (restarted, no cache) |\n|---|---|---|\n");
		md.append("| start-up: process start to `/actuator/health` UP | %.1f s | %.1f s |\n"
			.formatted(r.service().startupSeconds(), r.uncachedService().startupSeconds()));
		md.append("| Spring Boot's \"Started … in\" | %s | %s |\n".formatted(
				seconds(r.service().springStartedSeconds()), seconds(r.uncachedService().springStartedSeconds())));
		md.append("| peak RSS (`VmHWM`), at the end of its loads | %s | %s |\n".formatted(mb(r.service().peakRss()),
				mb(r.uncachedService().peakRss())));
		md.append("| CPU time, start-up included | %.1f s | %.1f s |\n\n".formatted(r.service().cpuSeconds(),
				r.uncachedService().cpuSeconds()));

		md.append(whyMissed());
		md.append("## What is not ours\n\n");
		md.append(
				("- **The machine is shared by everything measured:** %d cores carry wrk, the service, PostgreSQL and "
						+ "the emulator at once (busy cores in the table), and anyone else's build. The ceiling is measured "
						+ "under the same conditions in the same run, which is why the throughput target is a ratio.\n")
					.formatted(m.cores()));
		md.append(("- **Persona's latency:** the emulator sleeps %d ms per answer, then builds its JSON:API body; "
				+ "that time is Persona's, and the cold, ensureInquiry and recipe figures are bounded below by it "
				+ "(one, two and one round trips).\n")
			.formatted(s.personaLatencyMillis()));
		md.append("- **Where the CPU goes** on a cached answer, from a JFR profile of the cached load: see "
				+ "docs/benchmark.md.\n");
		md.append("- **JWT checks** (RS256 signature per request) and the WebFlux/GraphQL stack are in the ceiling as "
				+ "much as in the gate: the gap between them is the gate's own work (graphql-java executing a six-field "
				+ "query, the entry from memory or one PostgreSQL round trip, the decision, the " + "metrics).\n\n");
		md.append("![Latency percentiles and throughput by scenario, and the two sweeps](%s)\n".formatted(CHART));
		return md.toString();
	}

	/** For each target missed, what the run's own figures say about why. */
	private String whyMissed() {
		Results r = this.results;
		List<Target> targets = targets();
		StringBuilder why = new StringBuilder();
		if (!targets.get(0).met()) {
			why.append(
					("- **Throughput against the ceiling.** Per request the cached gate (%.0f %% from memory) cost the "
							+ "service %.3f ms of CPU and PostgreSQL %.3f ms, against %.3f ms for `{ __typename }`, on the "
							+ "same %d cores (busy: %.2f); a first read from PostgreSQL cost the service %.3f ms and "
							+ "PostgreSQL %.3f ms. What a memory hit still adds to the ceiling is graphql-java executing "
							+ "a six-field query and the gate's own work (decision, counters).\n")
						.formatted(100 * r.cached().memoryShare(), r.cached().serviceCpuMillisPerRequest(),
								r.cached().postgresCpuMillisPerRequest(), r.ceiling().serviceCpuMillisPerRequest(),
								r.machine().cores(), r.cached().machineBusyCores(),
								r.cachedFirstRead().serviceCpuMillisPerRequest(),
								r.cachedFirstRead().postgresCpuMillisPerRequest()));
		}
		if (!targets.get(1).met()) {
			why.append(("- **p99 at %d connections.** The ceiling's p99 was %s ms at %s req/s, the cached gate's %s ms "
					+ "at %s req/s (machine busy: %.2f of %d cores); per request the cached gate cost the service %.3f "
					+ "ms of CPU against the ceiling's %.3f ms, and that difference queues at every percentile.\n")
				.formatted(r.cachedAtFew().connections(), ms(r.ceilingAtFew().load().latency().p99()),
						rate(r.ceilingAtFew()), ms(r.cachedAtFew().load().latency().p99()), rate(r.cachedAtFew()),
						r.cachedAtFew().machineBusyCores(), r.machine().cores(),
						r.cachedAtFew().serviceCpuMillisPerRequest(), r.ceilingAtFew().serviceCpuMillisPerRequest()));
		}
		if (!targets.get(2).met()) {
			why.append(("- **Cold gate.** The service measured %s ms per Persona call (the emulator's %d ms, its "
					+ "JSON and the loopback); the rest of the p50 is the service's: the cache read, the listing's "
					+ "transaction and the decision's audit row.\n")
				.formatted(ms(r.cold().personaMillisPerCall()), r.settings().personaLatencyMillis()));
		}
		if (!targets.get(3).met()) {
			why.append(("- **ensureInquiry.** The service measured %s ms per Persona call; around its two calls it "
					+ "takes the claim, writes the listing, the inquiry and two audit rows, and releases the claim.\n")
				.formatted(ms(r.ensure().personaMillisPerCall())));
		}
		return why.isEmpty() ? "" : "## Why targets were missed\n\n" + why + "\n";
	}

	private String targetsTable() {
		StringBuilder table = new StringBuilder("| target | this run | |\n|---|---|---|\n");
		for (Target target : targets()) {
			table.append("| %s | %s | %s |\n".formatted(target.target(), target.figure(),
					target.met() ? "met" : "**missed**"));
		}
		return table.toString();
	}

	private String scenariosTable() {
		Results r = this.results;
		StringBuilder table = new StringBuilder(
				"| scenario | connections | users | requests | req/s | p50 ms | p99 ms | p99.9 ms | max ms | from memory "
						+ "| Persona calls/request | Persona ms/call | service CPU ms/request | PostgreSQL CPU ms/request "
						+ "| busy cores | errors |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (Measurement m : scenarios()) {
			table.append(row(m, m.name())).append('\n');
		}
		return table.toString();
	}

	private List<Measurement> scenarios() {
		Results r = this.results;
		return List.of(r.ceiling(), r.cached(), r.ceilingAtFew(), r.cachedAtFew(), r.cachedFirstRead(), r.cold(),
				r.ensure(), r.recipe());
	}

	private String row(Measurement m, String label) {
		return "| %s | %d | %,d%s | %,d | %s | %s | %s | %s | %s | %s | %.3f | %s | %.3f | %s | %.2f | %s |".formatted(
				label, m.connections(), m.distinctUsers(), users(m), m.load().requests(), rate(m),
				ms(m.load().latency().p50()), ms(m.load().latency().p99()), ms(m.load().latency().p999()),
				ms(m.load().latency().max()), memory(m), m.callsPerRequest(),
				Double.isNaN(m.personaMillisPerCall()) ? "–" : ms(m.personaMillisPerCall()),
				m.serviceCpuMillisPerRequest(), Double.isNaN(m.postgresCpuMillisPerRequest()) ? "n/a"
						: "%.3f".formatted(m.postgresCpuMillisPerRequest()),
				m.machineBusyCores(), errors(m));
	}

	/** How the users of a load were chosen, when each could be sent only once. */
	private static String users(Measurement m) {
		if (!m.newUsersOnly()) {
			return "";
		}
		return (m.expectedCallsPerRequest() > 0) ? " new" : " cached, each once";
	}

	private static String memory(Measurement m) {
		return (m.cacheHits() > 0) ? "%.0f %%".formatted(100 * m.memoryShare()) : "–";
	}

	private static String errors(Measurement m) {
		String errors = Long.toString(m.load().errors());
		if (m.newUsersOnly() && m.load().reused() > 0) {
			errors += ", " + m.load().reused() + " users reused";
		}
		return errors;
	}

	private String sweepTable(String parameter, List<Measurement> sweep, Function<Measurement, String> label) {
		StringBuilder table = new StringBuilder("| " + parameter
				+ " | connections | requests | req/s | p50 ms | p99 ms | p99.9 ms | from memory | Persona calls/request "
				+ "| errors |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (Measurement m : sweep) {
			table.append("| %s | %d | %,d | %s | %s | %s | %s | %s | %.3f | %s |\n".formatted(label.apply(m),
					m.connections(), m.load().requests(), rate(m), ms(m.load().latency().p50()),
					ms(m.load().latency().p99()), ms(m.load().latency().p999()), memory(m), m.callsPerRequest(),
					errors(m)));
		}
		return table.toString();
	}

	private void writeChart(Path file) throws IOException {
		Results r = this.results;
		List<Measurement> scenarios = scenarios();
		List<String> names = List.of("ceiling", "cached gate", "ceiling, 16 c.", "cached, 16 c.", "cached, 1st read",
				"cold gate", "ensureInquiry", "recipe (no cache)");
		CategoryChart latency = chart("Latency by scenario (ms, log scale)", "", "ms");
		latency.getStyler().setYAxisLogarithmic(true);
		latency.getStyler().setYAxisMin(1.0);
		percentiles(latency, names, scenarios);
		CategoryChart throughput = chart("Throughput by scenario (requests/s, log scale)", "", "req/s");
		throughput.getStyler().setYAxisLogarithmic(true);
		throughput.getStyler().setYAxisMin(1.0);
		throughput.addSeries("req/s", names, scenarios.stream().map((m) -> m.load().throughput()).toList());
		throughput.getStyler().setLegendVisible(false);
		CategoryChart cachedSweep = chart("Cached gate latency by cached users (ms)", "cached users", "ms");
		percentiles(cachedSweep, r.cachedSweep().stream().map((m) -> count(m.parameter())).toList(), r.cachedSweep());
		CategoryChart coldSweep = chart("Cold gate latency by inquiries at Persona (ms)", "inquiries per user", "ms");
		percentiles(coldSweep, r.coldSweep().stream().map((m) -> Long.toString(m.parameter())).toList(), r.coldSweep());
		BitmapEncoder.saveBitmap(List.of(latency, throughput, cachedSweep, coldSweep), 2, 2,
				file.toString().replaceFirst("\\.png$", ""), BitmapFormat.PNG);
	}

	private static CategoryChart chart(String title, String xTitle, String yTitle) {
		CategoryChart chart = new CategoryChartBuilder().width(720)
			.height(440)
			.title(title)
			.xAxisTitle(xTitle)
			.yAxisTitle(yTitle)
			.build();
		chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
		chart.getStyler().setChartBackgroundColor(Color.WHITE);
		chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		chart.getStyler().setDecimalPattern("#,##0.#");
		chart.getStyler().setLocale(Locale.ROOT);
		return chart;
	}

	private static void percentiles(CategoryChart chart, List<String> categories, List<Measurement> measurements) {
		chart.addSeries("p50", categories, measurements.stream().map((m) -> m.load().latency().p50()).toList());
		chart.addSeries("p99", categories, measurements.stream().map((m) -> m.load().latency().p99()).toList());
		chart.addSeries("p99.9", categories, measurements.stream().map((m) -> m.load().latency().p999()).toList());
	}

	private static String rounds(List<Double> throughputs) {
		return throughputs.stream().map("%,.0f"::formatted).collect(Collectors.joining(", "));
	}

	private static String rate(Measurement m) {
		return "%,.0f".formatted(m.load().throughput());
	}

	private static String ms(double millis) {
		return (millis < 10) ? "%.2f".formatted(millis)
				: (millis < 100) ? "%.1f".formatted(millis) : "%.0f".formatted(millis);
	}

	private static String mb(long bytes) {
		return (bytes < 0) ? "n/a" : "%.0f MB".formatted(bytes / (1024.0 * 1024));
	}

	private static String seconds(Double value) {
		return (value != null) ? "%.1f s".formatted(value) : "n/a";
	}

	private static String count(long n) {
		for (int power = 3; power <= 9; power++) {
			if (n == (long) Math.pow(10, power)) {
				return "10^" + power;
			}
		}
		return "%,d".formatted(n);
	}

}
