package io.personagate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.PersonaWebhooks;
import io.personagate.support.TestTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL misbehaving under the service: connections killed during traffic, and the
 * server stopped and started again. Runs on a PostgreSQL of its own (embedded), so
 * stopping it disturbs no other test.
 */
class DatabaseFaultTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final String GATE = "query { verificationGate(templateId: \"" + TEMPLATE
			+ "\") { decision inquiryId } }";

	private static final String ENSURE = "mutation { ensureInquiry(input: {templateId: \"" + TEMPLATE
			+ "\"}) { inquiryId } }";

	private static final FakePersona persona = new FakePersona();

	private static Path dataDirectory;

	private static EmbeddedPostgres postgres;

	private static int port;

	private static ConfigurableApplicationContext service;

	private static WebClient client;

	@BeforeAll
	static void start() throws IOException {
		dataDirectory = Files.createTempDirectory("gate-db-fault");
		postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).start();
		port = postgres.getPort();
		service = GateInstances.start(persona.baseUrl(), "r2dbc:postgresql://localhost:" + port + "/postgres",
				"jdbc:postgresql://localhost:" + port + "/postgres", "postgres", null,
				"--spring.r2dbc.pool.max-acquire-time=2s", "--spring.r2dbc.pool.max-create-connection-time=2s");
		client = WebClient.create(GateInstances.baseUrl(service));
	}

	@AfterAll
	static void stop() throws IOException {
		service.close();
		postgres.close();
		persona.close();
	}

	@Test
	void killedConnectionsFailRequestsCleanlyAndLeaveNothingHalfWritten() throws Exception {
		persona.reset();
		persona.latency(20);
		int users = 40;
		for (int u = 0; u < users; u++) {
			for (int i = 0; i < 3; i++) {
				persona.seed("user-kill-" + u, TEMPLATE, "expired", Instant.now().minus(Duration.ofDays(30 - i)))
					.expiredAt(Instant.now().minus(Duration.ofDays(20 - i)));
			}
		}
		AtomicBoolean killing = new AtomicBoolean(true);
		Mono<Void> killer = Flux.interval(Duration.ofMillis(30), Schedulers.boundedElastic())
			.takeWhile((tick) -> killing.get())
			.doOnNext((tick) -> terminateServiceConnections())
			.then();

		List<JsonNode> during = Flux.range(0, users)
			.flatMap((u) -> gate("user-kill-" + u), 8)
			.collectList()
			.doFinally((signal) -> killing.set(false))
			.mergeWith(killer.then(Mono.empty()))
			.blockLast(Duration.ofSeconds(60));
		killing.set(false);

		long failed = during.stream().filter((answer) -> answer.has("errors")).count();
		assertThat(during).hasSize(users).allSatisfy((answer) -> {
			if (answer.has("errors")) {
				assertThat(answer.at("/errors/0/extensions/classification").asString()).isIn("DATABASE_UNAVAILABLE",
						"UPSTREAM_UNAVAILABLE");
			}
			else {
				assertThat(answer.at("/data/verificationGate/decision").asString()).isEqualTo("DENY");
			}
		});
		assertThat(failed).as("some requests met a killed connection").isPositive();

		for (int u = 0; u < users; u++) {
			String user = "user-kill-" + u;
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "DENY"
					.equals(gate(user).block(Duration.ofSeconds(10)).at("/data/verificationGate/decision").asString()));
		}
		assertThat(query("select count(*) from gate_check c where (select count(*) from persona_inquiry i"
				+ " where i.reference_id = c.reference_id) <> 3"))
			.isZero();
		assertThat(query("select count(*) from gate_check where reference_id like 'user-kill-%'")).isEqualTo(users);
		assertThat(query("select count(*) from persona_inquiry where reference_id like 'user-kill-%'"))
			.isEqualTo(users * 3L);
	}

	@Test
	void aStoppedDatabaseFailsRequestsFastShowsInHealthAndIsRejoinedWithoutARestart() throws Exception {
		persona.reset();
		assertThat(gate("user-before").block(Duration.ofSeconds(10)).at("/data/verificationGate/decision").asString())
			.isEqualTo("START");

		postgres.close();
		long start = System.nanoTime();
		JsonNode whileDown = gate("user-during").block(Duration.ofSeconds(15));
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(whileDown.at("/errors/0/extensions/classification").asString()).isEqualTo("DATABASE_UNAVAILABLE");
		assertThat(whileDown.at("/errors/0/message").asString()).contains("database is unavailable");
		assertThat(took).isLessThan(Duration.ofSeconds(6));
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(health().at("/status").asString()).isEqualTo("DOWN");
		assertThat(health().at("/components/r2dbc/status").asString()).isEqualTo("DOWN");
		assertThat(health("/actuator/health/readiness").at("/status").asString()).isEqualTo("DOWN");
		assertThat(health("/actuator/health/liveness").at("/status").asString()).isEqualTo("UP");
		JsonNode ensureWhileDown = post(TestTokens.forUser("user-during"), ENSURE).block(Duration.ofSeconds(15));
		assertThat(ensureWhileDown.at("/errors/0/extensions/classification").asString())
			.isEqualTo("DATABASE_UNAVAILABLE");
		assertThat(persona.createCalls()).isZero();
		JsonNode grantWhileDown = post(TestTokens.withScopes("support-1", "gate:admin"),
				"mutation { grantInquiryAttempt(input: {referenceId: \"user-before\", templateId: \"" + TEMPLATE
						+ "\", reason: \"r\"}) { gate { decision } } }")
			.block(Duration.ofSeconds(15));
		assertThat(grantWhileDown.at("/errors/0/extensions/classification").asString())
			.isEqualTo("DATABASE_UNAVAILABLE");
		byte[] approved = PersonaWebhooks.event("approved", "evt_WhileDown000000000000001",
				"inq_WhileDown000000000000001", "user-before", TEMPLATE, Instant.now());
		ResponseEntity<String> refusedWhileDown = webhook(approved);
		assertThat(refusedWhileDown.getStatusCode()).as("Persona retries a delivery that was not acknowledged")
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(refusedWhileDown.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
		assertThat(refusedWhileDown.getBody()).contains("database is unavailable");

		postgres = EmbeddedPostgres.builder()
			.setDataDirectory(dataDirectory)
			.setCleanDataDirectory(false)
			.setPort(port)
			.start();

		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> "START".equals(
					gate("user-after").block(Duration.ofSeconds(10)).at("/data/verificationGate/decision").asString()));
		await().atMost(Duration.ofSeconds(10)).until(() -> "UP".equals(health().at("/status").asString()));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "UP".equals(health("/actuator/health/readiness").at("/status").asString()));
		assertThat(query("select count(*) from gate_check where reference_id in ('user-before', 'user-after')"))
			.isEqualTo(2);
		assertThat(webhook(approved).getStatusCode()).as("Persona's retry of the delivery").isEqualTo(HttpStatus.OK);
		assertThat(query("select count(*) from webhook_event where event_id = 'evt_WhileDown000000000000001'"))
			.isEqualTo(1);
		// a hint: Persona's listing does not show the inquiry, so nothing is written for
		// it
		assertThat(query("select count(*) from persona_inquiry where inquiry_id = 'inq_WhileDown000000000000001'"))
			.isZero();
	}

	private static ResponseEntity<String> webhook(byte[] body) {
		return client.post()
			.uri("/webhooks/persona")
			.header("Persona-Signature", PersonaWebhooks.sign(body))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(Duration.ofSeconds(15));
	}

	private static Mono<JsonNode> gate(String user) {
		return post(TestTokens.forUser(user), GATE);
	}

	private static Mono<JsonNode> post(String token, String document) {
		return client.post()
			.uri("/graphql")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", document))
			.retrieve()
			.bodyToMono(JsonNode.class);
	}

	private static JsonNode health() {
		return health("/actuator/health");
	}

	private static JsonNode health(String path) {
		return client.get()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(TestTokens.monitor()))
			.exchangeToMono((response) -> response.bodyToMono(JsonNode.class))
			.block(Duration.ofSeconds(10));
	}

	private static void terminateServiceConnections() {
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
				Statement statement = connection.createStatement()) {
			statement.execute("select pg_terminate_backend(pid) from pg_stat_activity"
					+ " where datname = 'postgres' and pid <> pg_backend_pid() and backend_type = 'client backend'");
		}
		catch (SQLException ex) {
			// the server may be busy restarting a backend; the next round tries again
		}
	}

	private static long query(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
