package io.personagate.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestDatabase;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.client.GraphQlTransportException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-origin calls from a browser app, over real HTTP and WebSocket: an instance that
 * lists the app's origin in {@code spring.graphql.cors.allowed-origins} answers its
 * preflight, its {@code POST} (exposing {@code X-Request-Id}) and its WebSocket
 * handshake, and refuses all three from another origin before Persona is asked; an
 * instance left at the defaults refuses every origin but serves clients that send none.
 */
class CorsTests {

	private static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	private static final String APP = "http://app.example.test:5173";

	private static final String OTHER = "http://elsewhere.example.test";

	private static final String QUERY = "{\"query\":\"{ verificationGate(templateId: \\\"" + TEMPLATE
			+ "\\\") { decision } }\"}";

	private static final TestDatabase database = IntegrationTestSupport.database();

	private static final FakePersona persona = new FakePersona();

	private static ConfigurableApplicationContext allowing;

	private static ConfigurableApplicationContext byDefault;

	private final List<WebSocketGraphQlClient> clients = new ArrayList<>();

	@BeforeAll
	static void start() {
		allowing = GateInstances.start(persona, database, "--spring.graphql.cors.allowed-origins=" + APP);
		byDefault = GateInstances.start(persona, database);
	}

	@AfterAll
	static void stop() {
		allowing.close();
		byDefault.close();
		persona.close();
	}

	@BeforeEach
	void reset() {
		database.clear();
		persona.reset();
	}

	@AfterEach
	void closeWebSockets() {
		this.clients.forEach((client) -> client.stop().block(Duration.ofSeconds(5)));
	}

	@Test
	void preflightFromTheAllowedOriginIsAnswered() {
		preflight(allowing, APP).expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, APP)
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, (methods) -> assertThat(methods).contains("POST"))
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
					(headers) -> assertThat(headers.toLowerCase()).contains("authorization", "content-type"));
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void postFromTheAllowedOriginIsAnsweredWithItsRequestIdExposed() {
		post(allowing, APP, "user-cors").expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, APP)
			.expectHeader()
			.value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS,
					(exposed) -> assertThat(exposed).containsIgnoringCase("X-Request-Id"))
			.expectHeader()
			.exists("X-Request-Id")
			.expectBody()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(database.count("select count(*) from gate_check where reference_id = 'user-cors'")).isEqualTo(1);
	}

	@Test
	void webSocketFromTheAllowedOriginSubscribes() {
		StepVerifier.create(subscribe(allowing, APP, "user-ws"))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "START"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	@Test
	void anotherOriginIsRefusedPreflightPostAndWebSocket() {
		preflight(allowing, OTHER).expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
		post(allowing, OTHER, "user-other").expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
		StepVerifier.create(subscribe(allowing, OTHER, "user-other"))
			.expectError(GraphQlTransportException.class)
			.verify(Duration.ofSeconds(10));

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void byDefaultNoOriginIsAllowedButClientsWithoutOneAreServed() {
		preflight(byDefault, APP).expectStatus().isForbidden();
		post(byDefault, APP, "user-default").expectStatus().isForbidden();
		StepVerifier.create(subscribe(byDefault, APP, "user-default"))
			.expectError(GraphQlTransportException.class)
			.verify(Duration.ofSeconds(10));
		assertThat(persona.requests()).isEmpty();

		post(byDefault, null, "user-default").expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
			.expectBody()
			.jsonPath("$.data.verificationGate.decision")
			.isEqualTo("START");
		StepVerifier.create(subscribe(byDefault, null, "user-default"))
			.assertNext((gate) -> assertThat(gate).containsEntry("decision", "START"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		assertThat(persona.listCalls()).isPositive();
	}

	private static WebTestClient.ResponseSpec preflight(ConfigurableApplicationContext instance, String origin) {
		return http(instance).method(HttpMethod.OPTIONS)
			.uri("/graphql")
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type")
			.exchange();
	}

	private static WebTestClient.ResponseSpec post(ConfigurableApplicationContext instance, String origin,
			String user) {
		return http(instance).post().uri("/graphql").headers((headers) -> {
			if (origin != null) {
				headers.setOrigin(origin);
			}
			headers.setBearerAuth(TestTokens.forUser(user));
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(QUERY).exchange();
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private Flux<Map<String, Object>> subscribe(ConfigurableApplicationContext instance, String origin, String user) {
		WebSocketGraphQlClient.Builder<?> builder = WebSocketGraphQlClient
			.builder(URI.create("ws://127.0.0.1:" + GateInstances.port(instance) + "/graphql"),
					new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + TestTokens.forUser(user)));
				}
			});
		if (origin != null) {
			builder.header(HttpHeaders.ORIGIN, origin);
		}
		WebSocketGraphQlClient client = builder.build();
		this.clients.add(client);
		return (Flux) client.document("subscription($t: ID!) { verificationGateChanged(templateId: $t) { decision } }")
			.variable("t", TEMPLATE)
			.retrieveSubscription("verificationGateChanged")
			.toEntity(Map.class);
	}

	private static WebTestClient http(ConfigurableApplicationContext instance) {
		return WebTestClient.bindToServer()
			.baseUrl(GateInstances.baseUrl(instance))
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

}
