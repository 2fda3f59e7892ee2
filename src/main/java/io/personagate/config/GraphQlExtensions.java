package io.personagate.config;

import java.util.Map;

import io.personagate.security.GraphQlErrors;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;

/**
 * Refuses, with a {@code BAD_REQUEST} error and before anything runs, a request whose
 * {@code extensions.persistedQuery} is not what automatic persisted queries send (an
 * object with the text's {@code sha256Hash} as a string): graphql-java casts it unchecked
 * and would fail with an error of the server, over HTTP and WebSocket alike.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class GraphQlExtensions implements WebGraphQlInterceptor {

	static final String PERSISTED_QUERY = "persistedQuery";

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		Map<String, Object> extensions = request.getExtensions();
		if (extensions.containsKey(PERSISTED_QUERY) && !isPersistedQuery(extensions.get(PERSISTED_QUERY))) {
			return Mono.just(GraphQlErrors.refused(request, ErrorType.BAD_REQUEST,
					"extensions.persistedQuery must be an object with the operation's SHA-256 as a string, as in "
							+ "{\"version\": 1, \"sha256Hash\": \"<hex SHA-256 of the text>\"}"));
		}
		return chain.next(request);
	}

	private static boolean isPersistedQuery(Object value) {
		return value instanceof Map<?, ?> persistedQuery && persistedQuery.get("sha256Hash") instanceof String;
	}

}
