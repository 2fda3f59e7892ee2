package io.personagate.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlWebSocketHandler;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * Spring for GraphQL's WebSocket handler, built as Spring Boot builds it, that also lets
 * {@link WebSocketAuthentication} close a connection when its token expires (the
 * interceptor sees only the session's attributes, so the handler leaves a callback
 * there), keeps answering after any number of subscriptions the client completed
 * ({@link CompletedSubscriptions}), and closes with 4400, as graphql-transport-ws says,
 * on a message it cannot read, such as one of an unknown type.
 */
@Configuration(proxyBeanMethods = false)
public class GraphQlWebSockets {

	static final CloseStatus TOKEN_EXPIRED = new CloseStatus(WebSocketAuthentication.TOKEN_EXPIRED,
			"Token expired: connect again with a fresh token");

	@Bean
	GraphQlWebSocketHandler graphQlWebSocketHandler(WebGraphQlHandler webGraphQlHandler, GraphQlProperties properties,
			GraphQlCorsProperties corsProperties, ServerCodecConfigurer configurer, Clock clock) {
		return new GraphQlWebSocketHandler(webGraphQlHandler, configurer,
				properties.getWebsocket().getConnectionInitTimeout(), properties.getWebsocket().getKeepAlive(),
				corsProperties.toCorsConfiguration()) {

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				session.getAttributes()
					.put(WebSocketAuthentication.CLOSE_AT,
							(Consumer<Instant>) (expiresAt) -> closeAt(session, expiresAt, clock));
				return super.handle(CompletedSubscriptions.session(session));
			}

		};
	}

	private static void closeAt(WebSocketSession session, Instant expiresAt, Clock clock) {
		Duration left = Duration.between(clock.instant(), expiresAt);
		// only the wait is given up when the socket closes first: cancelling a close in
		// progress would drop its close frame
		Disposable timer = Mono.delay(left.isNegative() ? Duration.ZERO : left)
			.subscribe((tick) -> session.close(TOKEN_EXPIRED).subscribe());
		session.closeStatus().doFinally((signal) -> timer.dispose()).subscribe();
	}

}
