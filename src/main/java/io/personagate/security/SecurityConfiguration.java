package io.personagate.security;

import io.personagate.webhook.WebhookProperties;

import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * {@code POST /graphql} needs a valid JWT; GraphiQL's page, its scripts (WebJars) and
 * health are public. Tokens are checked by Spring Security's resource server with Spring
 * Boot's standard {@code spring.security.oauth2.resourceserver.jwt.*} settings. The
 * WebSocket handshake ({@code GET /graphql}) is open because browsers cannot send headers
 * with it: the token travels in {@code connection_init} instead
 * ({@link WebSocketAuthentication}). Webhooks carry Persona's signature instead of a JWT.
 * The operator API needs scopes on top ({@link Scopes}, checked by
 * {@code @PreAuthorize}). Cross-origin calls to {@code /graphql}, over HTTP or WebSocket,
 * are allowed only from the origins of {@code spring.graphql.cors.*}
 * ({@link GraphQlCors}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableReactiveMethodSecurity
public class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, WebhookProperties webhooks,
			GraphQlProperties graphQl, GraphQlCorsProperties cors) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			// stateless: the defaults keep the security context and the request to return
			// to after a login in a WebSession, made for every request on other threads
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.cors((spec) -> spec.configurationSource(GraphQlCors.source(graphQl, cors)))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers(HttpMethod.GET, "/graphiql", "/graphiql/**", "/webjars/**")
				.permitAll()
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.pathMatchers(HttpMethod.POST, webhooks.path())
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/graphql")
				.permitAll()
				.anyExchange()
				.authenticated())
			.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
			.build();
	}

}
