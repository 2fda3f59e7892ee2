package io.personagate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import org.springframework.graphql.server.webflux.GraphQlSseHandler;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Spring for GraphQL's HTTP handler, which answers a body that holds no request (empty,
 * or JSON {@code null}) with an empty {@code 200}; this one answers it {@code 400} with a
 * GraphQL error that says what is missing; {@link Sse} does the same for server-sent
 * events.
 */
class GraphQlHttpEndpoint extends GraphQlHttpHandler {

	static final Map<String, Object> NO_REQUEST = Map.of("errors", List.of(Map.of("message",
			"The body holds no GraphQL request: send a JSON object with the operation in \"query\"", "extensions",
			Map.of("classification", ErrorType.BAD_REQUEST.name(), ErrorCodes.KEY, ErrorType.BAD_REQUEST.name()))));

	GraphQlHttpEndpoint(WebGraphQlHandler graphQlHandler) {
		super(graphQlHandler);
	}

	@Override
	public Mono<ServerResponse> handleRequest(ServerRequest request) {
		return super.handleRequest(request).switchIfEmpty(noRequest());
	}

	static Mono<ServerResponse> noRequest() {
		return Mono
			.defer(() -> ServerResponse.badRequest().contentType(MediaType.APPLICATION_JSON).bodyValue(NO_REQUEST));
	}

	/** The same for requests that ask for server-sent events. */
	static final class Sse extends GraphQlSseHandler {

		Sse(WebGraphQlHandler graphQlHandler, Duration timeout, Duration keepAlive) {
			super(graphQlHandler, timeout, keepAlive);
		}

		@Override
		public Mono<ServerResponse> handleRequest(ServerRequest request) {
			return super.handleRequest(request).switchIfEmpty(noRequest());
		}

	}

}
