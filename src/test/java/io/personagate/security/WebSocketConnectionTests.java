package io.personagate.security;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.GraphQlSocket;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphQL over WebSocket ({@code graphql-transport-ws}) as clients such as
 * {@code graphql-ws} use it, against a freshly started instance: {@code connection_init}
 * sent the moment the socket opens, a token that expires.
 */
class WebSocketConnectionTests {

	private static final FakePersona persona = new FakePersona();

	private static ConfigurableApplicationContext instance;

	@BeforeAll
	static void startAFreshInstance() {
		instance = GateInstances.start(persona, IntegrationTestSupport.database());
	}

	@AfterAll
	static void stop() {
		instance.close();
		persona.close();
	}

	@Test
	@Disabled("Issue #10, not yet fixed: in a full ./mvnw verify on a loaded machine 2 of 50 connections got no "
			+ "connection_ack within 20 s and the server logged nothing; it did not happen when this class ran alone")
	void everyConnectionInitSentOnOpenIsAcknowledged() {
		List<GraphQlSocket> sockets = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			sockets.add(GraphQlSocket.open(port(), TestTokens.forUser("user-ack-" + i)));
		}
		try {
			CompletableFuture.allOf(sockets.stream().map(GraphQlSocket::acknowledged).toArray(CompletableFuture[]::new))
				.orTimeout(20, TimeUnit.SECONDS)
				.exceptionally((ex) -> null)
				.join();
			assertThat(sockets).allSatisfy((socket) -> assertThat(socket.acknowledged()).isCompleted());
		}
		finally {
			sockets.forEach(GraphQlSocket::close);
		}
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void aTokenGivenAsTokenIsAcceptedToo() {
		try (GraphQlSocket socket = GraphQlSocket.open(port(), Map.of("token", TestTokens.forUser("user-token")))) {
			socket.awaitAcknowledged(Duration.ofSeconds(10));
		}
	}

	@Test
	void aConnectionWithoutAValidTokenIsClosedWith4401() {
		try (GraphQlSocket none = GraphQlSocket.open(port(), (String) null);
				GraphQlSocket forged = GraphQlSocket.open(port(), "not.a.jwt")) {
			assertThat(none.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
			assertThat(forged.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
			assertThat(none.acknowledged()).isCompletedExceptionally();
		}
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void aConnectionIsClosedWith4403WhenItsTokenExpires() {
		Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
		String token = TestTokens.sign(Map.of("sub", "user-expiring"), expiresAt);
		try (GraphQlSocket socket = GraphQlSocket.open(port(), token)) {
			socket.awaitAcknowledged(Duration.ofSeconds(10));

			assertThat(socket.closed()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(4403);
			assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
		}
	}

	@Test
	void aTokenThatHasExpiredOpensNoConnectionAndRunsNothing() {
		String token = TestTokens.sign(Map.of("sub", "user-expired"), Instant.now().minusSeconds(5));
		try (GraphQlSocket socket = GraphQlSocket.open(port(), token)) {
			assertThat(socket.closed()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(4401);
			assertThat(socket.acknowledged()).isCompletedExceptionally();
			assertThat(socket.received()).isEmpty();
		}
		assertThat(persona.requests()).isEmpty();
	}

	private static int port() {
		return GateInstances.port(instance);
	}

}
