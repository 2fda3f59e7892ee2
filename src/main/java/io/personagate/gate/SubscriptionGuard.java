package io.personagate.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import graphql.ErrorClassification;
import graphql.GraphqlErrorBuilder;
import io.personagate.config.GateProperties;
import io.personagate.security.GraphQlErrors;
import io.personagate.security.ReferenceIds;
import io.personagate.security.WebSocketAuthentication;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Bounds live updates: a subscription runs only over a transport that can carry it
 * (GraphQL over WebSocket, or server-sent events), within
 * {@code gate.subscriptions.max-per-connection} and {@code max-per-user}, and no longer
 * than the token it was started with. Anything refused is answered at once with a GraphQL
 * error; nothing of it runs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class SubscriptionGuard implements WebGraphQlInterceptor {

	private final GateProperties.Subscriptions limits;

	private final ReferenceIds referenceIds;

	private final Clock clock;

	private final Map<String, Integer> perConnection = new ConcurrentHashMap<>();

	private final Map<String, Integer> perUser = new ConcurrentHashMap<>();

	public SubscriptionGuard(GateProperties properties, ReferenceIds referenceIds, Clock clock) {
		this.limits = properties.subscriptions();
		this.referenceIds = referenceIds;
		this.clock = clock;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((authentication) -> chain.next(request)
				.map((response) -> guarded(request, response, authentication.orElse(null))));
	}

	@SuppressWarnings("unchecked")
	private WebGraphQlResponse guarded(WebGraphQlRequest request, WebGraphQlResponse response,
			Authentication authentication) {
		if (!(response.getData() instanceof Publisher<?> results)) {
			return response;
		}
		if (!(request instanceof WebSocketGraphQlRequest) && !acceptsEventStream(request)) {
			return GraphQlErrors.refused(request, ErrorType.BAD_REQUEST,
					"A subscription cannot be answered as one JSON response. Subscribe over GraphQL over WebSocket "
							+ "(protocol graphql-transport-ws at /graphql) or over server-sent events "
							+ "(POST /graphql with 'Accept: text/event-stream').");
		}
		String connection = (request instanceof WebSocketGraphQlRequest webSocket) ? webSocket.getSessionInfo().getId()
				: null;
		String user = referenceId(authentication);
		Instant expiresAt = (authentication != null) ? WebSocketAuthentication.expiresAt(authentication) : null;
		Flux<Object> limited = Flux.defer(() -> {
			String refusal = acquire(connection, user);
			if (refusal != null) {
				return Flux.error(failure(GateErrorType.TOO_MANY_SUBSCRIPTIONS, refusal));
			}
			return untilExpiry(Flux.from((Publisher<Object>) results), expiresAt)
				.doFinally((signal) -> release(connection, user));
		});
		return response.transform((builder) -> builder.data(limited));
	}

	/** Ends the subscription with an error when its token expires. */
	private Flux<Object> untilExpiry(Flux<Object> results, Instant expiresAt) {
		if (expiresAt == null) {
			return results;
		}
		Duration left = Duration.between(this.clock.instant(), expiresAt);
		AtomicBoolean expired = new AtomicBoolean();
		return results
			.takeUntilOther(Mono.delay(left.isNegative() ? Duration.ZERO : left).doOnNext((tick) -> expired.set(true)))
			.concatWith(
					Flux.defer(() -> expired.get()
							? Flux.error(failure(ErrorType.UNAUTHORIZED,
									"The bearer token has expired: subscribe again with a fresh token."))
							: Flux.empty()));
	}

	/** Takes a place for a new subscription, or says why there is none. */
	private String acquire(String connection, String user) {
		if (connection != null && !tryAcquire(this.perConnection, connection, this.limits.maxPerConnection())) {
			return "This connection already holds " + this.limits.maxPerConnection()
					+ " subscriptions, the most this service allows on one connection: complete one before starting another.";
		}
		if (user != null && !tryAcquire(this.perUser, user, this.limits.maxPerUser())) {
			if (connection != null) {
				release(this.perConnection, connection);
			}
			return "This user already holds " + this.limits.maxPerUser()
					+ " subscriptions, the most this service allows per user: complete one before starting another.";
		}
		return null;
	}

	private void release(String connection, String user) {
		if (connection != null) {
			release(this.perConnection, connection);
		}
		if (user != null) {
			release(this.perUser, user);
		}
	}

	private static boolean tryAcquire(Map<String, Integer> counts, String key, int max) {
		AtomicBoolean acquired = new AtomicBoolean();
		counts.compute(key, (k, held) -> {
			int count = (held != null) ? held : 0;
			if (count >= max) {
				return held;
			}
			acquired.set(true);
			return count + 1;
		});
		return acquired.get();
	}

	private static void release(Map<String, Integer> counts, String key) {
		counts.computeIfPresent(key, (k, held) -> (held <= 1) ? null : held - 1);
	}

	private String referenceId(Authentication authentication) {
		if (!(authentication instanceof JwtAuthenticationToken token)) {
			return null;
		}
		try {
			return this.referenceIds.of(token.getToken());
		}
		catch (RuntimeException ex) {
			// the subscription itself answers with the reason
			return null;
		}
	}

	private static boolean acceptsEventStream(WebGraphQlRequest request) {
		return request.getHeaders()
			.getAccept()
			.stream()
			.anyMatch((type) -> !type.isWildcardType() && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM));
	}

	private static SubscriptionPublisherException failure(ErrorClassification type, String message) {
		return new SubscriptionPublisherException(
				List.of(GraphqlErrorBuilder.newError().errorType(type).message(message).build()), null);
	}

}
