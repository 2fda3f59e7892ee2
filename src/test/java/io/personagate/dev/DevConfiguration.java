package io.personagate.dev;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import io.personagate.config.GateProperties;
import io.personagate.persona.PersonaProperties;
import io.personagate.security.GraphQlCors;
import io.personagate.support.FakePersona;
import io.personagate.webhook.WebhookProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Development mode, on top of the service's own configuration: dev sign-in (a start-up
 * key, the only one trusted), the {@code /dev} endpoints, webhooks from the Persona
 * emulator to this service, and a notice of where everything is. The emulator and the
 * database come from {@link DevServices}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DevConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DevConfiguration.class);

	@Bean
	DevTokens devTokens(GateProperties gate, Environment environment, Clock clock) {
		List<String> audiences = Binder.get(environment)
			.bind("spring.security.oauth2.resourceserver.jwt.audiences", Bindable.listOf(String.class))
			.orElse(List.of());
		return new DevTokens(gate.referenceIdClaim(), audiences, clock);
	}

	@Bean
	ReactiveJwtDecoder devJwtDecoder(DevTokens tokens, ObjectProvider<OAuth2TokenValidator<Jwt>> validators) {
		return tokens.decoder(validators.orderedStream().toList());
	}

	/**
	 * {@code /dev} and the schema ({@code /graphql/schema}) need no token; the example
	 * app signs in from its own origin (the CORS settings of {@code /graphql}); the
	 * stand-in for Persona's flow opens in a frame of the app.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain devEndpointsSecurity(ServerHttpSecurity http, GraphQlCorsProperties cors) {
		UrlBasedCorsConfigurationSource signInCors = new UrlBasedCorsConfigurationSource();
		signInCors.registerCorsConfiguration("/dev/token", GraphQlCors.configuration(cors));
		return http
			.securityMatcher(new OrServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers("/dev/**"),
					ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/graphql/schema")))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.cors((spec) -> spec.configurationSource(signInCors))
			.headers((headers) -> headers.frameOptions(ServerHttpSecurity.HeaderSpec.FrameOptionsSpec::disable))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.build();
	}

	@Bean
	DevSpa devSpa(GateProperties gate, Environment environment) {
		return new DevSpa(Path.of(environment.getProperty("dev.spa.dir", "examples/spa/dist")),
				gate.templates().get(0).id(), environment.getProperty("dev.spa.port", Integer.class, 8081),
				environment.getProperty("server.address"));
	}

	@Bean
	RouterFunction<ServerResponse> devRoutes(DevTokens tokens, FakePersona persona) {
		return new DevEndpoints(tokens, persona).routes();
	}

	@Bean
	ApplicationListener<WebServerInitializedEvent> personaEmulatorWebhooks(FakePersona persona,
			PersonaProperties personaProperties, WebhookProperties webhooks) {
		if (!personaProperties.baseUrl().toString().equals(persona.baseUrl())) {
			throw new IllegalStateException("Development mode emulates Persona, but persona.base-url is set to "
					+ personaProperties.baseUrl() + " (PERSONA_BASE_URL in the environment?); unset it");
		}
		logger.warn("Persona is EMULATED at {}: no request reaches the real Persona (development mode only)",
				persona.baseUrl());
		return (event) -> {
			if (event.getApplicationContext().getServerNamespace() == null) {
				persona.deliverWebhooksTo(
						URI.create("http://127.0.0.1:" + event.getWebServer().getPort() + webhooks.path()),
						webhooks.secrets().get(0));
			}
		};
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> devModeNotice(FakePersona persona,
			ObjectProvider<EmbeddedPostgres> postgres, GateProperties gate, Environment environment, DevSpa spa) {
		return (event) -> {
			if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
				return;
			}
			String base = "http://localhost:" + web.getWebServer().getPort();
			String templates = gate.templates()
				.stream()
				.map(GateProperties.Template::id)
				.collect(Collectors.joining(", "));
			String app = (spa.port() > 0)
					? "http://localhost:" + spa.port() + "  (examples/spa, on its own origin: sign in, verify, watch)"
					: "not built: ./mvnw verify builds it, or cd examples/spa && npm ci && npm run build;\n"
							+ "             or npm run dev there, for http://localhost:5173";
			String listening = isLoopback(environment.getProperty("server.address"))
					? environment.getProperty("server.address")
							+ " only: this machine alone can reach it (server.address, SERVER_ADDRESS to change)"
					: String.valueOf(environment.getProperty("server.address", "every interface"))
							+ ": OPEN TO THE NETWORK, where anyone can sign in as anyone and approve any inquiry";
			String database = (postgres.getIfAvailable() != null) ? "embedded, data in "
					+ environment.getProperty("dev.postgres.data-dir") + " (emptied at each start)"
					: "yours: " + environment.getProperty("spring.r2dbc.url");
			logger.warn("""

					==========================================================================================
					 DEVELOPMENT MODE: persona-gate against an EMULATED Persona. Not for production.
					------------------------------------------------------------------------------------------
					 App         {}
					 Listening   {}
					 GraphiQL    {}/graphiql
					 Sign in     curl -s {}/dev/token -H 'Content-Type: application/json' -d '{"userId":"alice"}'
					             then send "Authorization: Bearer <token>" (GraphiQL: Headers tab)
					 Template    {}
					 Persona     EMULATED at {} (latency {} ms); its state: curl -s {}/dev/persona
					 Move one    curl -s -X POST {}/dev/persona/inquiries/<inquiryId>/approve
					             or start, complete, decline, mark-for-review, fail, expire: each sends its
					             signed inquiry.* webhook to {}{}
					 Schema      {}/graphql/schema
					 PostgreSQL  {}
					==========================================================================================""", app,
					listening, base, base, templates, persona.baseUrl(), persona.latencyMillis(), base, base, base,
					environment.getProperty("persona.webhook.path", "/webhooks/persona"), base, database);
		};
	}

	/** Whether {@code server.address} lets only this machine in. */
	static boolean isLoopback(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
