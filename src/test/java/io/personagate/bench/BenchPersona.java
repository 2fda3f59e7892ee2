package io.personagate.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personagate.support.FakePersona;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Persona emulator of the tests ({@link FakePersona}) in a JVM of its own, for the
 * benchmark: it answers Persona's API after a latency, and a small control server on
 * another port lets the benchmark read its call counts, seed users' inquiries and forget
 * everything. It prints one line when ready:
 * <pre>BENCH_PERSONA_READY persona=http://127.0.0.1:41234/api/v1 control=http://127.0.0.1:41235</pre>
 * and stops when its standard input closes (the benchmark that started it has gone).
 * <p>
 * Control: {@code GET /calls} ({@code {"list":3,"create":1}}); {@code POST /reset};
 * {@code POST /seed?prefix=deep10-&from=0&to=500&inquiries=10&template=itmpl_...} (each
 * user gets that many inquiries, the newest approved, the others expired long ago);
 * {@code POST /seed-profiles?prefix=cached-&from=0&to=3000&template=...} (each user gets
 * the inquiries of its {@link BenchPopulation.Profile}).
 */
public final class BenchPersona {

	/** The API key the benchmark's emulator accepts and the service under test sends. */
	static final String API_KEY = "bench-not-a-real-key";

	static final String READY = "BENCH_PERSONA_READY";

	private static final JsonMapper json = JsonMapper.builder().build();

	private BenchPersona() {
	}

	/**
	 * The emulator in a process of its own, as the benchmark starts it through
	 * {@code bench/Launch.java}, until its standard input closes.
	 */
	public static void serve(String[] args) throws IOException {
		Emulator emulator = start((args.length > 0) ? Long.parseLong(args[0]) : 150);
		System.out.println(READY + " persona=" + emulator.personaUrl() + " control=" + emulator.controlUrl());
		System.out.flush();
		while (System.in.read() != -1) {
			// the benchmark keeps this pipe open for as long as it runs
		}
		emulator.close();
		System.exit(0);
	}

	/**
	 * Starts the emulator, answering after {@code latency} ms, and its control server.
	 */
	static Emulator start(long latency) throws IOException {
		FakePersona persona = new FakePersona(API_KEY);
		persona.latency(latency);
		HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		control.setExecutor(Executors.newSingleThreadExecutor());
		control.createContext("/calls", (exchange) -> answer(exchange, json.writeValueAsString(persona.calls())));
		control.createContext("/reset", (exchange) -> {
			persona.reset();
			persona.latency(latency);
			answer(exchange, "{}");
		});
		control.createContext("/seed", (exchange) -> {
			Map<String, String> query = query(exchange.getRequestURI());
			answer(exchange,
					"{\"seeded\":" + seedDeep(persona, query.get("prefix"), Long.parseLong(query.get("from")),
							Long.parseLong(query.get("to")), Integer.parseInt(query.get("inquiries")),
							query.get("template")) + "}");
		});
		control.createContext("/seed-profiles", (exchange) -> {
			Map<String, String> query = query(exchange.getRequestURI());
			answer(exchange, "{\"seeded\":" + seedProfiles(persona, query.get("prefix"),
					Long.parseLong(query.get("from")), Long.parseLong(query.get("to")), query.get("template")) + "}");
		});
		control.start();
		return new Emulator(persona, control);
	}

	/** A running emulator and its control server. */
	record Emulator(FakePersona persona, HttpServer control) implements AutoCloseable {

		String personaUrl() {
			return this.persona.baseUrl();
		}

		URI controlUrl() {
			return URI.create("http://127.0.0.1:" + this.control.getAddress().getPort());
		}

		@Override
		public void close() {
			this.control.stop(0);
			this.persona.close();
		}

	}

	static long seedDeep(FakePersona persona, String prefix, long from, long to, int inquiries, String template) {
		Instant now = Instant.now();
		for (long user = from; user < to; user++) {
			String id = BenchPopulation.userId(prefix, user);
			for (int n = 1; n <= inquiries; n++) {
				Instant createdAt = now.minus(Duration.ofHours(inquiries - n + 48));
				if (n == inquiries) {
					persona.seed(id, template, "approved", createdAt);
				}
				else {
					persona.seed(id, template, "expired", createdAt).expiredAt(createdAt.plus(Duration.ofHours(1)));
				}
			}
		}
		return (to - from) * inquiries;
	}

	static long seedProfiles(FakePersona persona, String prefix, long from, long to, String template) {
		Instant now = Instant.now();
		long seeded = 0;
		for (long user = from; user < to; user++) {
			BenchPopulation.Profile profile = BenchPopulation.Profile.of(user);
			for (int n = 1; n <= profile.inquiries; n++) {
				Instant createdAt = now.minus(BenchPopulation.Profile.OLDEST).plus(Duration.ofDays(n));
				FakePersona.FakeInquiry inquiry = persona.seed(BenchPopulation.userId(prefix, user), template,
						profile.status, createdAt);
				if ("expired".equals(profile.status)) {
					inquiry.expiredAt(createdAt.plus(Duration.ofHours(1)));
				}
				seeded++;
			}
		}
		return seeded;
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new HashMap<>();
		if (uri.getRawQuery() != null) {
			for (String pair : uri.getRawQuery().split("&")) {
				String[] parts = pair.split("=", 2);
				parameters.put(parts[0],
						(parts.length == 2) ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
			}
		}
		return parameters;
	}

	private static void answer(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** The benchmark's side of the control server. */
	static final class Control {

		private final HttpClient client = HttpClient.newHttpClient();

		private final URI base;

		Control(URI base) {
			this.base = base;
		}

		/** Calls received per operation, e.g. {@code list}, {@code create}. */
		Map<String, Long> calls() {
			Map<String, Object> raw = json.readValue(send("GET", "/calls"), Map.class);
			Map<String, Long> calls = new HashMap<>();
			raw.forEach((operation, count) -> calls.put(operation, ((Number) count).longValue()));
			return calls;
		}

		long totalCalls() {
			return calls().values().stream().mapToLong(Long::longValue).sum();
		}

		void reset() {
			send("POST", "/reset");
		}

		void seedDeep(String prefix, long from, long to, int inquiries, String template) {
			send("POST", "/seed?prefix=%s&from=%d&to=%d&inquiries=%d&template=%s".formatted(prefix, from, to, inquiries,
					template));
		}

		void seedProfiles(String prefix, long from, long to, String template) {
			send("POST", "/seed-profiles?prefix=%s&from=%d&to=%d&template=%s".formatted(prefix, from, to, template));
		}

		private String send(String method, String path) {
			try {
				HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(this.base.resolve(path))
					.method(method, HttpRequest.BodyPublishers.noBody())
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 200) {
					throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode());
				}
				return response.body();
			}
			catch (IOException ex) {
				throw new IllegalStateException("The Persona emulator's control server did not answer", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
