package io.personagate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.GraphQlSocket;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its request headers slowly (slowloris: a line every 300 ms here)
 * holds a connection only for {@code gate.http.header-timeout} (1 s here): the connection
 * is closed, the request is never served, and nothing is logged above DEBUG. Over
 * loopback, with a raw socket.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowConnectionsTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final FakePersona persona = new FakePersona();

	private static ConfigurableApplicationContext instance;

	@BeforeAll
	static void start() {
		instance = GateInstances.start(persona, IntegrationTestSupport.database(), "--gate.http.header-timeout=1s");
	}

	@AfterAll
	static void stop() {
		instance.close();
		persona.close();
	}

	@Test
	void headersSentTooSlowlyAreRefusedAndNothingRuns(CapturedOutput output) throws Exception {
		String body = "{\"query\":\"{ verificationGate(templateId: \\\"" + TEMPLATE + "\\\") { decision } }\"}";
		List<String> lines = new ArrayList<>(List.of("POST /graphql HTTP/1.1\r\n", "Host: 127.0.0.1\r\n",
				"Authorization: Bearer " + TestTokens.forUser("user-slow") + "\r\n",
				"Content-Type: application/json\r\n",
				"Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n", "Connection: close\r\n"));
		for (int i = 0; i < 10; i++) {
			lines.add("X-Padding-" + i + ": slow\r\n");
		}
		lines.add("\r\n" + body);
		ScheduledExecutorService slowly = Executors.newSingleThreadScheduledExecutor();
		AtomicBoolean allSent = new AtomicBoolean();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), GateInstances.port(instance))) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			AtomicInteger next = new AtomicInteger();
			slowly.scheduleAtFixedRate(() -> {
				int line = next.getAndIncrement();
				if (line >= lines.size()) {
					return;
				}
				try {
					out.write(lines.get(line).getBytes(StandardCharsets.UTF_8));
					out.flush();
					if (line == lines.size() - 1) {
						allSent.set(true);
					}
				}
				catch (IOException ex) {
					// the server closed the connection
				}
			}, 0, 300, TimeUnit.MILLISECONDS);

			String answer = readAll(socket.getInputStream());

			assertThat(allSent).as("closed before the request was complete").isFalse();
			assertThat(answer).startsWith("HTTP/1.1 408").doesNotContain("verificationGate");
		}
		finally {
			slowly.shutdownNow();
		}
		assertThat(persona.requests()).as("nothing ran").isEmpty();
		assertThat(output).doesNotContain("WARN").doesNotContain("ERROR");
	}

	@Test
	void aRequestWithinTheTimeIsServed() throws Exception {
		String body = "{\"query\":\"{ __typename }\"}";
		String request = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
				+ TestTokens.forUser("user-quick") + "\r\nContent-Type: application/json\r\nContent-Length: "
				+ body.length() + "\r\nConnection: close\r\n\r\n" + body;
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), GateInstances.port(instance))) {
			socket.setSoTimeout(20_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();

			assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200")
				.contains("\"__typename\":\"Query\"");
		}
	}

	@Test
	void aWebSocketOutlivesTheHeaderTimeout() {
		try (GraphQlSocket socket = GraphQlSocket.open(GateInstances.port(instance), TestTokens.forUser("user-ws-slow"))
			.awaitAcknowledged(Duration.ofSeconds(10))) {
			assertThat(socket.nothingWithin(Duration.ofSeconds(2))).isTrue();

			socket.subscribe("typename", "{ __typename }", Map.of());
			assertThat(socket.next("typename", Duration.ofSeconds(10)).path("type").asString()).isEqualTo("next");
			assertThat(socket.closed()).isNotDone();
		}
	}

	private static String readAll(InputStream in) throws IOException {
		StringBuilder answer = new StringBuilder();
		byte[] buffer = new byte[4096];
		try {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			}
		}
		catch (SocketException ex) {
			// reset by the server
		}
		return answer.toString();
	}

}
