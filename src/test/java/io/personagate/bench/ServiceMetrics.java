package io.personagate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service's own counters, read from {@code /actuator/prometheus}: what it says it
 * served from its cache ({@code gate_cache_total{result="hit"}}) and how long its calls
 * to Persona took ({@code persona_calls_seconds}), summed over their tags.
 *
 * @param cacheHits answers served from the cache
 * @param memoryHits of those, answers served from the instance's memory
 * @param personaCalls attempts at Persona
 * @param personaSeconds time those attempts took
 */
record ServiceMetrics(double cacheHits, double memoryHits, double personaCalls, double personaSeconds) {

	private static final HttpClient client = HttpClient.newHttpClient();

	/** Reads them with a token that carries the monitoring scope. */
	static ServiceMetrics scrape(String baseUrl, String token) {
		String text;
		try {
			text = client
				.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
					.header("Authorization", "Bearer " + token)
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException ex) {
			return new ServiceMetrics(0, 0, 0, 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return parse(text);
	}

	static ServiceMetrics parse(String prometheus) {
		return new ServiceMetrics(sum(prometheus, "gate_cache_total{result=\"hit\""),
				sum(prometheus, "gate_cache_memory_hits_total"), sum(prometheus, "persona_calls_seconds_count{"),
				sum(prometheus, "persona_calls_seconds_sum{"));
	}

	private static double sum(String prometheus, String prefix) {
		return prometheus.lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	ServiceMetrics minus(ServiceMetrics before) {
		return new ServiceMetrics(this.cacheHits - before.cacheHits, this.memoryHits - before.memoryHits,
				this.personaCalls - before.personaCalls, this.personaSeconds - before.personaSeconds);
	}

	/**
	 * Mean time of one Persona call as the service saw it, in ms; NaN when there were
	 * none.
	 */
	double personaMillisPerCall() {
		return (this.personaCalls > 0) ? 1000 * this.personaSeconds / this.personaCalls : Double.NaN;
	}

}
