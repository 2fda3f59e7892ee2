package io.personagate.security;

import java.time.Instant;
import java.util.Objects;

import io.personagate.webhook.WebhookProperties;
import reactor.core.publisher.Mono;

import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.JwkSetUriReactiveJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /graphql} needs a valid JWT; GraphiQL's page, its scripts (WebJars) and the
 * status of health, liveness and readiness are public. Everything else the actuator
 * serves (health details, metrics, build information) needs the monitoring scope
 * ({@link ActuatorProperties}). Tokens are checked by Spring Security's resource server
 * with Spring Boot's standard {@code spring.security.oauth2.resourceserver.jwt.*}
 * settings (audience, and issuer when it is set), must carry an expiry, and when they
 * cannot be checked because the identity provider's keys cannot be fetched the answer is
 * 503 ({@link TokenAuthentication}). The WebSocket handshake ({@code GET /graphql}) is
 * open because browsers cannot send headers with it: the token travels in
 * {@code connection_init} instead ({@link WebSocketAuthentication}). Webhooks carry
 * Persona's signature instead of a JWT. The operator API needs scopes on top
 * ({@link Scopes}, checked by {@code @PreAuthorize}). Cross-origin calls to
 * {@code /graphql}, over HTTP or WebSocket, are allowed only from the origins of
 * {@code spring.graphql.cors.*} ({@link GraphQlCors}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
public class SecurityConfiguration {

	/**
	 * Refuses tokens without {@code exp}, which Spring Security accepts. Spring Boot adds
	 * every such bean to the validators of the decoder it makes.
	 */
	@Bean
	static OAuth2TokenValidator<Jwt> expiryRequired() {
		return new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull);
	}

	/**
	 * The decoder's reads of the key set (and of the issuer's discovery document) go
	 * through {@link IdentityProviderFetches}: at most one per interval, shared.
	 */
	@Bean
	JwkSetUriReactiveJwtDecoderBuilderCustomizer keySetFetches(WebClient.Builder webClient,
			IdentityProviderFetches fetches) {
		return (builder) -> builder.webClient(webClient.clone().filter(fetches).build());
	}

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, WebhookProperties webhooks,
			GraphQlProperties graphQl, GraphQlCorsProperties cors, TokenAuthentication tokens,
			ActuatorProperties actuator) {
		ServerAuthenticationEntryPoint refuse = new BearerTokenServerAuthenticationEntryPoint();
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			// stateless: the defaults keep the security context and the request to return
			// to after a login in a WebSession, made for every request on other threads
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.cors((spec) -> spec.configurationSource(GraphQlCors.source(graphQl, cors)))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers(HttpMethod.GET, "/graphiql", "/graphiql/**", "/webjars/**")
						.permitAll()
						.pathMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/liveness",
								"/actuator/health/readiness")
						.permitAll()
						.pathMatchers("/actuator", "/actuator/**")
						.hasAuthority(actuator.authority())
						.pathMatchers(HttpMethod.POST, webhooks.path())
						.permitAll()
						.pathMatchers(HttpMethod.GET, "/graphql")
						.permitAll()
						.anyExchange()
						.authenticated())
			.oauth2ResourceServer((server) -> server
				.authenticationFailureHandler((exchange, ex) -> (ex instanceof TokenKeysUnavailableException)
						? Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
								"The identity provider's token keys cannot be fetched", ex))
						: refuse.commence(exchange.getExchange(), ex))
				.jwt((jwt) -> jwt.authenticationManager(tokens)))
			.build();
	}

}
