package io.personagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs wrk against {@code POST /graphql} with the benchmark's script
 * ({@code bench/wrk/graphql.lua}) and reads the one line of figures the script prints at
 * the end.
 */
final class Wrk {

	static final String RESULT = "BENCH_RESULT ";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path script;

	Wrk(Path script) {
		this.script = script;
	}

	/** Whether a {@code wrk} can be run here. */
	static boolean installed() {
		try {
			Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** wrk's own version line, e.g. {@code wrk debian/4.1.0-3+b2 [epoll]}. */
	static String version() {
		try {
			Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			String first = out.lines().findFirst().orElse("?");
			int copyright = first.indexOf(" Copyright");
			return (copyright > 0) ? first.substring(0, copyright) : first;
		}
		catch (IOException ex) {
			return "not installed";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "?";
		}
	}

	/**
	 * One load: {@code threads} wrk threads keep {@code connections} connections busy for
	 * {@code duration}, sending {@code operation} (ceiling, gate or ensure) with the
	 * tokens of {@code tokens}.
	 */
	Load run(String url, Path tokens, String operation, String template, int threads, int connections,
			Duration duration) {
		List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
				"-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", this.script.toString(), url + "/graphql",
				"--", tokens.toString(), operation, template, Integer.toString(threads)));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("wrk failed: " + String.join(" ", command) + "\n" + out);
			}
			return parse(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run wrk (apt-get install wrk)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static Load parse(String output) {
		String line = output.lines()
			.filter((candidate) -> candidate.startsWith(RESULT))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("wrk printed no " + RESULT.trim() + " line:\n" + output));
		JsonNode result = json.readTree(line.substring(RESULT.length()));
		JsonNode errors = result.get("errors");
		JsonNode latency = result.get("latency_us");
		return new Load(result.get("requests").asLong(), result.get("duration_us").asLong() / 1e6,
				errors.get("connect").asLong() + errors.get("read").asLong() + errors.get("write").asLong()
						+ errors.get("timeout").asLong(),
				errors.get("status").asLong(), result.get("bad").asLong(), result.get("reused").asLong(),
				new Latency(ms(latency, "p50"), ms(latency, "p90"), ms(latency, "p99"), ms(latency, "p999"),
						ms(latency, "max"), ms(latency, "mean")),
				result.get("bad_sample").asString());
	}

	private static double ms(JsonNode latency, String name) {
		return latency.get(name).asDouble() / 1000.0;
	}

	/**
	 * What one load measured.
	 *
	 * @param requests responses received
	 * @param seconds how long it ran
	 * @param socketErrors connect, read, write errors and timeouts
	 * @param statusErrors answers with HTTP status 400 or more
	 * @param bad answers that were not HTTP 200 with the expected data and no GraphQL
	 * error
	 * @param reused requests sent with a token already sent once (a user no longer new)
	 * @param latency latency percentiles, milliseconds
	 * @param badSample the first bad answer, for diagnosis
	 */
	record Load(long requests, double seconds, long socketErrors, long statusErrors, long bad, long reused,
			Latency latency, String badSample) {

		double throughput() {
			return this.requests / this.seconds;
		}

		long errors() {
			return this.socketErrors + Math.max(this.statusErrors, this.bad);
		}

	}

	/** Latencies in milliseconds. */
	record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
	}

}
