package io.personagate.dev;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.function.Predicate;

import io.personagate.DevGateApplication;
import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.TestTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import mockwebserver3.RecordedRequest;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Development mode as {@code ./mvnw spring-boot:test-run} starts it
 * ({@link DevGateApplication}, on random ports): the whole story over real HTTP with
 * tokens from {@code /dev/token}, inquiries moved through the emulator with
 * {@code /dev/persona}, its signed webhooks, and the rows in the embedded PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevModeTests {

	private static final String TEMPLATE = "itmpl_DevModeTemplate000000001";

	private static final String SUBSCRIPTION = """
			subscription($templateId: ID!) {
			  verificationGateChanged(templateId: $templateId) { decision reason inquiryId inquiryStatus }
			}
			""";

	private static ConfigurableApplicationContext context;

	private static FakePersona persona;

	private static WebTestClient http;

	private static int port;

	@BeforeAll
	static void startDevelopmentMode(@TempDir Path dataDir) {
		context = GateInstances.startDevelopmentMode(dataDir);
		persona = context.getBean(FakePersona.class);
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
		http = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void approvedInquiryLetsTheUserInThroughTheSignedWebhook() {
		Story story = startAndResume("dev-approved");
		long personaCallsBefore = personaCallsAbout(story);

		moveThroughDevEndpoint(story.inquiryId(), "approve", "inquiry.approved", "approved");

		assertGate(story, "ALLOW", "APPROVED", "APPROVED");
		assertThat(personaCallsAbout(story)).as("the webhook told the gate, and one listing confirmed it")
			.isEqualTo(personaCallsBefore + 1);
		assertThat(row("select status from persona_inquiry where inquiry_id = ? and reference_id = ?",
				story.inquiryId(), story.userId()))
			.isEqualTo("approved");
		assertThat(row("select count(*) from webhook_event where inquiry_id = ? and name = 'inquiry.approved'",
				story.inquiryId()))
			.isEqualTo("1");
	}

	@Test
	void declinedInquiryKeepsTheUserOut() {
		Story story = startAndResume("dev-declined");

		moveThroughDevEndpoint(story.inquiryId(), "decline", "inquiry.declined", "declined");

		assertGate(story, "DENY", "DECLINED", "DECLINED");
		assertThat(row("select status from persona_inquiry where inquiry_id = ?", story.inquiryId()))
			.isEqualTo("declined");
		assertThat(row("select count(*) from webhook_event where inquiry_id = ? and name = 'inquiry.declined'",
				story.inquiryId()))
			.isEqualTo("1");
	}

	@Test
	void inquiryMarkedForReviewKeepsTheUserWaiting() {
		Story story = startAndResume("dev-review");

		moveThroughDevEndpoint(story.inquiryId(), "mark-for-review", "inquiry.marked-for-review", "needs_review");

		assertGate(story, "UNDER_REVIEW", "NEEDS_REVIEW", "NEEDS_REVIEW");
		assertThat(row("select status from persona_inquiry where inquiry_id = ?", story.inquiryId()))
			.isEqualTo("needs_review");
	}

	@Test
	void expiredInquiryIsResumedWithASessionToken() {
		Story story = startAndResume("dev-expired");

		moveThroughDevEndpoint(story.inquiryId(), "expire", "inquiry.expired", "expired");
		assertGate(story, "RESUME", "EXPIRED_RESUMABLE", "EXPIRED");

		graphQl(story.token()).documentName("ensureInquiry")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.verify()
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(story.inquiryId())
			.path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false)
			.path("ensureInquiry.sessionToken")
			.entity(String.class)
			.satisfies((token) -> assertThat(token).startsWith("session-for-" + story.inquiryId() + "-"))
			.path("ensureInquiry.gate.inquiryStatus")
			.entity(String.class)
			.isEqualTo("PENDING");
		assertThat(
				requests((r) -> r.getUrl().encodedPath().equals("/api/v1/inquiries/" + story.inquiryId() + "/resume")))
			.singleElement()
			.satisfies((resume) -> assertThat(resume.getHeaders().get("Idempotency-Key")).isNotBlank());
	}

	@Test
	void personasOwnSimulateActionsWorkOnTheEmulator() {
		Story story = startAndResume("dev-simulated");

		WebTestClient.bindToServer()
			.baseUrl(persona.baseUrl())
			.build()
			.post()
			.uri("/inquiries/{id}/perform-simulate-actions", story.inquiryId())
			.headers((headers) -> headers.setBearerAuth(DevServices.API_KEY))
			.header("Persona-Version", "2025-12-08")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("meta",
					Map.of("simulate-actions",
							List.of(Map.of("type", "start_inquiry"), Map.of("type", "complete_inquiry")))))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.id")
			.isEqualTo(story.inquiryId())
			.jsonPath("$.data.attributes.status")
			.isEqualTo("completed");

		assertThat(persona.webhookDeliveries()
			.stream()
			.filter((delivery) -> delivery.inquiryId().equals(story.inquiryId()))).extracting("event", "status")
			.containsExactly(Tuple.tuple("inquiry.started", 200), Tuple.tuple("inquiry.completed", 200));
		assertGate(story, "ALLOW", "COMPLETED", "COMPLETED");
	}

	@Test
	void aSubscriberSeesTheMoveAsItHappens() {
		Story story = startAndResume("dev-live");
		WebSocketGraphQlClient client = webSocketClient(story.token());

		try {
			StepVerifier.create(subscribe(client))
				.assertNext((gate) -> assertThat(gate).containsEntry("decision", "RESUME")
					.containsEntry("inquiryId", story.inquiryId()))
				.then(() -> moveThroughDevEndpoint(story.inquiryId(), "approve", "inquiry.approved", "approved"))
				.assertNext((gate) -> assertThat(gate).containsEntry("decision", "ALLOW")
					.containsEntry("reason", "APPROVED"))
				.thenCancel()
				.verify(Duration.ofSeconds(10));
		}
		finally {
			client.stop().block(Duration.ofSeconds(5));
		}
	}

	@Test
	void impossibleMovesAreRefused() {
		Story story = startAndResume("dev-refused");
		moveThroughDevEndpoint(story.inquiryId(), "approve", "inquiry.approved", "approved");

		simulate(story.inquiryId(), "decline").expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.error")
			.value((String message) -> assertThat(message).contains("approved"));
		simulate(story.inquiryId(), "teleport").expectStatus().isBadRequest();
		simulate("inq_unknown", "approve").expectStatus().isNotFound();

		assertGate(story, "ALLOW", "APPROVED", "APPROVED");
		assertThat(persona.webhookDeliveries().stream().filter((d) -> d.inquiryId().equals(story.inquiryId())))
			.hasSize(1);
	}

	@Test
	void onlyDevelopmentTokensAreTrusted() {
		String token = http.get()
			.uri("/dev/token?userId={id}", "dev-bob")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(DevTokens.Token.class)
			.returnResult()
			.getResponseBody()
			.token();
		assertGate(new Story("dev-bob", token, null), "START", "NO_INQUIRY", null);

		String testKeyToken = TestTokens.forUser("dev-bob");
		String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
		for (String refused : List.of(testKeyToken, tampered)) {
			http.post()
				.uri("/graphql")
				.headers((headers) -> headers.setBearerAuth(refused))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", "{ verificationGate(templateId: \"" + TEMPLATE + "\") { decision } }"))
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		http.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("user", "dev-bob"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		http.get().uri("/dev/token").exchange().expectStatus().isBadRequest();
	}

	@Test
	void schemaIsDownloadableWithoutAToken() {
		http.get()
			.uri("/graphql/schema")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((schema) -> assertThat(schema).contains("type Query", "verificationGate(", "ensureInquiry(",
					"verificationGateChanged("));
	}

	@Test
	void developmentModeListensOnThisMachineOnlyAndSaysSo(CapturedOutput output) {
		assertThat(output).contains("Listening   127.0.0.1 only: this machine alone can reach it");
		assertThat(accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
		InetAddress network = networkAddress();
		Assumptions.assumeTrue(network != null, "this machine has no network address to try");
		assertThat(accepts(network, port)).as("reachable at " + network).isFalse();
		DevSpa app = context.getBean(DevSpa.class);
		if (app.port() > 0) {
			assertThat(accepts(InetAddress.getLoopbackAddress(), app.port())).isTrue();
			assertThat(accepts(network, app.port())).as("the app reachable at " + network).isFalse();
		}
	}

	private static boolean accepts(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** An address of this machine other than loopback, if it has one. */
	private static InetAddress networkAddress() {
		try {
			return NetworkInterface.networkInterfaces().filter((network) -> {
				try {
					return network.isUp() && !network.isLoopback();
				}
				catch (SocketException ex) {
					return false;
				}
			})
				.flatMap(NetworkInterface::inetAddresses)
				.filter((address) -> address instanceof Inet4Address)
				.findFirst()
				.orElse(null);
		}
		catch (SocketException ex) {
			return null;
		}
	}

	@Test
	void developmentModeSaysWhereEverythingIsAndThatPersonaIsEmulated(CapturedOutput output) {
		assertThat(output).contains("Persona is EMULATED at " + persona.baseUrl())
			.contains("DEVELOPMENT MODE")
			.contains("GraphiQL    http://localhost:" + port + "/graphiql")
			.contains("Schema      http://localhost:" + port + "/graphql/schema")
			.contains("/dev/token");
		DevSpa app = context.getBean(DevSpa.class);
		assertThat(output)
			.contains(app.isBuilt() ? "App         http://localhost:" + app.port() : "App         not built");
		assertThat(persona.latencyMillis()).isEqualTo(20);
		Environment environment = context.getEnvironment();
		assertThat(environment.getProperty("persona.base-url")).isEqualTo(persona.baseUrl());
		if (System.getenv("GATE_TEST_DB_URL") == null) {
			Path dataDir = Path.of(environment.getProperty("dev.postgres.data-dir"));
			assertThat(dataDir.resolve("PG_VERSION")).exists();
			assertThat(output).contains("embedded, data in " + dataDir);
		}
		else {
			assertThat(context.getBeanProvider(EmbeddedPostgres.class).getIfAvailable()).isNull();
			assertThat(output).contains("PostgreSQL  yours: " + environment.getProperty("spring.r2dbc.url"));
		}
		http.get()
			.uri("/dev/persona")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.baseUrl")
			.isEqualTo(persona.baseUrl())
			.jsonPath("$.latencyMillis")
			.isEqualTo(20);
	}

	/**
	 * A new user, signed in with {@code /dev/token}: START, then ensureInquiry creates
	 * the one inquiry (RESUME), and a second ensureInquiry returns the same one.
	 */
	private Story startAndResume(String userId) {
		String token = http.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(DevTokens.Token.class)
			.returnResult()
			.getResponseBody()
			.token();
		assertGate(new Story(userId, token, null), "START", "NO_INQUIRY", null);

		String inquiryId = ensure(token).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(true)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME")
			.path("ensureInquiry.sessionToken")
			.entity(String.class)
			.satisfies((session) -> assertThat(session).startsWith("session-for-inq_"))
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.get();
		ensure(token).path("ensureInquiry.created")
			.entity(Boolean.class)
			.isEqualTo(false)
			.path("ensureInquiry.inquiryId")
			.entity(String.class)
			.isEqualTo(inquiryId)
			.path("ensureInquiry.gate.decision")
			.entity(String.class)
			.isEqualTo("RESUME");

		Story story = new Story(userId, token, inquiryId);
		assertThat(requests((r) -> isCreateFor(r, userId))).singleElement()
			.satisfies((create) -> assertThat(UUID.fromString(create.getHeaders().get("Idempotency-Key")))
				.hasToString(create.getHeaders().get("Idempotency-Key")));
		assertThat(requests((r) -> userId.equals(r.getUrl().queryParameter("filter[reference-id]")))).isNotEmpty()
			.allSatisfy((list) -> assertThat(list.getUrl().queryParameter("filter[inquiry-template-id]"))
				.isEqualTo(TEMPLATE));
		assertThat(persona.inquiries()).filteredOn((inquiry) -> inquiry.referenceId.equals(userId))
			.singleElement()
			.satisfies((inquiry) -> assertThat(inquiry.id).isEqualTo(inquiryId));
		assertThat(row("select count(*) from persona_inquiry where reference_id = ?", userId)).isEqualTo("1");
		assertThat(row("select count(*) from gate_check where reference_id = ? and template_id = ?", userId, TEMPLATE))
			.isEqualTo("1");
		return story;
	}

	private static void moveThroughDevEndpoint(String inquiryId, String action, String event, String status) {
		simulate(inquiryId, action).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.event")
			.isEqualTo(event)
			.jsonPath("$.webhook.status")
			.isEqualTo(200)
			.jsonPath("$.webhook.response")
			.value((String response) -> assertThat(response).contains("\"accepted\""));
	}

	private static WebTestClient.ResponseSpec simulate(String inquiryId, String action) {
		return http.post().uri("/dev/persona/inquiries/{id}/{action}", inquiryId, action).exchange();
	}

	private static void assertGate(Story story, String decision, String reason, String status) {
		GraphQlTester.Traversable gate = graphQl(story.token()).documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.verify();
		gate.path("verificationGate.decision").entity(String.class).isEqualTo(decision);
		gate.path("verificationGate.reason").entity(String.class).isEqualTo(reason);
		if (status != null) {
			gate.path("verificationGate.inquiryStatus").entity(String.class).isEqualTo(status);
			gate.path("verificationGate.inquiryId").entity(String.class).isEqualTo(story.inquiryId());
		}
		else {
			gate.path("verificationGate.inquiryId").valueIsNull();
		}
	}

	private static GraphQlTester.Traversable ensure(String token) {
		return graphQl(token).documentName("ensureInquiry")
			.variable("templateId", TEMPLATE)
			.variable("clientMutationId", "dev-mode")
			.execute()
			.errors()
			.verify();
	}

	private static HttpGraphQlTester graphQl(String token) {
		return HttpGraphQlTester.builder(http.mutate().baseUrl("http://localhost:" + port + "/graphql"))
			.headers((headers) -> headers.setBearerAuth(token))
			.build();
	}

	private static WebSocketGraphQlClient webSocketClient(String token) {
		return WebSocketGraphQlClient
			.builder(URI.create("ws://localhost:" + port + "/graphql"), new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			})
			.build();
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static Flux<Map<String, Object>> subscribe(WebSocketGraphQlClient client) {
		return (Flux) client.document(SUBSCRIPTION)
			.variable("templateId", TEMPLATE)
			.retrieveSubscription("verificationGateChanged")
			.toEntity(Map.class);
	}

	private static long personaCallsAbout(Story story) {
		return requests((r) -> story.userId().equals(r.getUrl().queryParameter("filter[reference-id]"))
				|| isCreateFor(r, story.userId()) || r.getUrl().encodedPath().contains(story.inquiryId()))
			.size();
	}

	private static boolean isCreateFor(RecordedRequest request, String userId) {
		return request.getMethod().equals("POST") && request.getUrl().encodedPath().equals("/api/v1/inquiries")
				&& request.getBody() != null
				&& request.getBody().utf8().contains("\"auto-create-account-reference-id\":\"" + userId + "\"");
	}

	private static List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
		return persona.requests().stream().filter(filter).toList();
	}

	private static String row(String sql, Object... args) {
		Environment environment = context.getEnvironment();
		try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.flyway.url"),
				environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"));
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getString(1) : null;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Story(String userId, String token, String inquiryId) {
	}

}
