package io.personagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service under test: its packaged jar run with {@code java -jar} in a process of its
 * own, its log in a file. Start-up time is from the process's start to the first
 * {@code /actuator/health} that answers UP.
 */
final class ServiceProcess implements AutoCloseable {

	private static final Pattern STARTED = Pattern.compile("Started \\w+ in ([0-9.]+) seconds");

	private final Process process;

	private final int port;

	private final Path log;

	private final Duration startup;

	private ServiceProcess(Process process, int port, Path log, Duration startup) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.startup = startup;
	}

	/**
	 * Starts {@code java <jvmOptions> -jar <jar> --key=value...} and waits until it is
	 * healthy.
	 */
	static ServiceProcess start(Path jar, List<String> jvmOptions, Map<String, String> settings, Path log) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		settings.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Files.createDirectories(log.getParent());
			long start = System.nanoTime();
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			ServiceProcess service = new ServiceProcess(process, port, log, null);
			service.awaitHealthy(Duration.ofMinutes(3));
			return new ServiceProcess(process, port, log, Duration.ofNanos(System.nanoTime() - start));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitHealthy(Duration timeout) {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The service stopped during start-up; its log: " + this.log);
			}
			try {
				HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(50);
		}
		throw new IllegalStateException("The service was not healthy within " + timeout + "; its log: " + this.log);
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** From the process's start to its first healthy answer. */
	Duration startup() {
		return this.startup;
	}

	/**
	 * What Spring Boot itself says ("Started GateApplication in 4.1 seconds"), or
	 * {@code null}.
	 */
	Double startedInSeconds() {
		try (var lines = Files.lines(this.log)) {
			return lines.map(STARTED::matcher)
				.filter(Matcher::find)
				.map((matcher) -> Double.parseDouble(matcher.group(1)))
				.findFirst()
				.orElse(null);
		}
		catch (IOException | UncheckedIOException ex) {
			return null;
		}
	}

	Path log() {
		return this.log;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
