package io.personagate.security;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Authenticates GraphQL over WebSocket ({@code graphql-transport-ws}) with the same JWTs
 * as HTTP. The token comes in the {@code connection_init} payload as
 * {@code {"Authorization": "Bearer <jwt>"}} (or {@code {"token": "<jwt>"}}); without a
 * valid one the connection is refused. Each operation on the connection then runs as that
 * user.
 */
@Component
public class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(WebSocketAuthentication.class);

	private static final String JWT_ATTRIBUTE = WebSocketAuthentication.class.getName() + ".jwt";

	private final ReactiveJwtDecoder jwtDecoder;

	public WebSocketAuthentication(ReactiveJwtDecoder jwtDecoder) {
		this.jwtDecoder = jwtDecoder;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo sessionInfo,
			Map<String, Object> connectionInitPayload) {
		String token = token(connectionInitPayload);
		if (token == null) {
			return Mono.error(new UnauthenticatedException("connection_init must carry a bearer token"));
		}
		return this.jwtDecoder.decode(token)
			.doOnNext((jwt) -> sessionInfo.getAttributes().put(JWT_ATTRIBUTE, jwt))
			.doOnError((ex) -> logger.info("WebSocket connection refused: invalid token ({})",
					ex.getClass().getSimpleName()))
			.then(Mono.empty());
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, WebGraphQlInterceptor.Chain chain) {
		if (request instanceof WebSocketGraphQlRequest webSocketRequest
				&& webSocketRequest.getSessionInfo().getAttributes().get(JWT_ATTRIBUTE) instanceof Jwt jwt) {
			return chain.next(request)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(new JwtAuthenticationToken(jwt)));
		}
		return chain.next(request);
	}

	private static String token(Map<String, Object> payload) {
		if (payload == null) {
			return null;
		}
		for (Map.Entry<String, Object> entry : payload.entrySet()) {
			if (entry.getValue() instanceof String value && !value.isBlank()) {
				String key = entry.getKey();
				if (key.equalsIgnoreCase("authorization")) {
					return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim();
				}
				if (key.equalsIgnoreCase("token")) {
					return value.trim();
				}
			}
		}
		return null;
	}

}
