package io.personagate.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that keeps its connection alive, as browsers and HTTP clients do, gets an
 * answer to every request, refusals among them. Before {@link EventLoopDispatch}, a
 * request after a 401 or 403 on the same connection went unread now and then (one in a
 * few hundred here) until the client gave up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class KeepAliveTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void everyRequestOnAKeptAliveConnectionIsAnswered() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String user = TestTokens.forUser("user-keep-alive");
		String monitor = TestTokens.monitor();
		String[][] rounds = { { "/actuator/health", user, "200" }, { "/actuator/health/r2dbc", null, "401" },
				{ "/actuator/health/r2dbc", user, "403" }, { "/actuator/health", monitor, "200" } };
		List<String> unanswered = new ArrayList<>();
		int answered = 0;
		for (int round = 0; round < 500 && unanswered.isEmpty(); round++) {
			for (String[] step : rounds) {
				HttpRequest.Builder request = HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.port + step[0]))
					.timeout(Duration.ofSeconds(5));
				if (step[1] != null) {
					request.header("Authorization", "Bearer " + step[1]);
				}
				try {
					HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
					assertThat(response.statusCode()).as(step[0]).isEqualTo(Integer.parseInt(step[2]));
					answered++;
				}
				catch (HttpTimeoutException ex) {
					unanswered.add("round " + round + ": " + step[0] + " (" + step[2] + ")");
				}
			}
		}

		assertThat(unanswered).as("requests left unread on a kept-alive connection").isEmpty();
		assertThat(answered).isEqualTo(2_000);
	}

}
