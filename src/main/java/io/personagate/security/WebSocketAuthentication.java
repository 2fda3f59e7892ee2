package io.personagate.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import io.personagate.persona.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.server.support.BearerTokenAuthenticationExtractor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Authenticates GraphQL over WebSocket ({@code graphql-transport-ws}) with the same JWTs
 * as HTTP, and keeps a connection no longer than its token. The token comes in the
 * {@code connection_init} payload as {@code {"Authorization": "Bearer <jwt>"}} (or
 * {@code {"token": "<jwt>"}}); without a valid one the connection is closed with 4401.
 * Each operation on the connection then runs as that user. When the token expires the
 * socket is closed with {@link #TOKEN_EXPIRED 4403}, which clients such as
 * {@code graphql-ws} answer by connecting again with fresh {@code connectionParams}, and
 * an operation that arrives after the expiry runs not at all.
 * <p>
 * Spring for GraphQL's own {@code AuthenticationWebSocketInterceptor} acknowledges a
 * {@code connection_init} that carries no token and never looks at the token again, so
 * this one is built from the same parts (Spring Security's bearer token extraction and
 * the JWT authentication of HTTP, {@link TokenAuthentication}) with those two
 * differences.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

	/** The close code of a connection whose token expired. */
	public static final int TOKEN_EXPIRED = 4403;

	/**
	 * The session attribute under which {@link GraphQlWebSockets} leaves a callback that
	 * closes the socket at the instant it is given.
	 */
	static final String CLOSE_AT = WebSocketAuthentication.class.getName() + ".closeAt";

	private static final Logger logger = LoggerFactory.getLogger(WebSocketAuthentication.class);

	private static final String AUTHENTICATION = WebSocketAuthentication.class.getName() + ".authentication";

	private final BearerTokenAuthenticationExtractor extractor = new BearerTokenAuthenticationExtractor();

	private final TokenAuthentication authentications;

	private final Clock clock;

	public WebSocketAuthentication(TokenAuthentication authentications, Clock clock) {
		this.authentications = authentications;
		this.clock = clock;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo sessionInfo,
			Map<String, Object> connectionInitPayload) {
		return Mono.defer(() -> this.extractor.getAuthentication(bearer(connectionInitPayload)))
			.switchIfEmpty(Mono.error(() -> new UnauthenticatedException("connection_init must carry a bearer token")))
			.flatMap(this.authentications::authenticate)
			.doOnNext((authentication) -> {
				sessionInfo.getAttributes().put(AUTHENTICATION, authentication);
				Instant expiresAt = expiresAt(authentication);
				if (expiresAt != null && sessionInfo.getAttributes().get(CLOSE_AT) instanceof Consumer<?> closeAt) {
					@SuppressWarnings("unchecked")
					Consumer<Instant> closer = (Consumer<Instant>) closeAt;
					closer.accept(expiresAt);
				}
			})
			.doOnError((ex) -> logger.info("WebSocket connection refused: {}", LogSafe.of(ex.getMessage())))
			.then(Mono.empty());
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, WebGraphQlInterceptor.Chain chain) {
		if (request instanceof WebSocketGraphQlRequest webSocketRequest && webSocketRequest.getSessionInfo()
			.getAttributes()
			.get(AUTHENTICATION) instanceof Authentication authentication) {
			if (isExpired(authentication)) {
				return Mono.just(GraphQlErrors.refused(request, ErrorType.UNAUTHORIZED,
						"The bearer token of this connection has expired: nothing was run. Connect again with a fresh token."));
			}
			return chain.next(request).contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
		}
		return chain.next(request);
	}

	/** When the token behind this authentication expires, or {@code null} if never. */
	public static Instant expiresAt(Authentication authentication) {
		if (authentication instanceof JwtAuthenticationToken token) {
			Jwt jwt = token.getToken();
			return jwt.getExpiresAt();
		}
		return null;
	}

	/** Whether the token behind this authentication has expired. */
	public boolean isExpired(Authentication authentication) {
		Instant expiresAt = expiresAt(authentication);
		return expiresAt != null && !this.clock.instant().isBefore(expiresAt);
	}

	/**
	 * The payload with a bare {@code token} turned into an {@code Authorization} entry.
	 */
	private static Map<String, Object> bearer(Map<String, Object> payload) {
		if (payload == null) {
			return Map.of();
		}
		for (Map.Entry<String, Object> entry : payload.entrySet()) {
			if (entry.getKey().equalsIgnoreCase("token") && entry.getValue() instanceof String token && !token.isBlank()
					&& payload.keySet().stream().noneMatch("authorization"::equalsIgnoreCase)) {
				return Map.of(BearerTokenAuthenticationExtractor.AUTHORIZATION_KEY, "Bearer " + token.trim());
			}
		}
		return payload;
	}

}
