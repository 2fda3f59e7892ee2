package io.personagate.config;

import java.util.UUID;
import java.util.regex.Pattern;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request a correlation id: the caller's {@code X-Request-Id} when it is a
 * plausible id, otherwise a new one. It is echoed in the response header, carried in the
 * Reactor context (and from there into the logging MDC, so every log line of the request
 * shows it), stored with audit rows, added to GraphQL errors as
 * {@code extensions.correlationId} and to Spring Boot's error bodies as {@code requestId}
 * ({@link CorrelatedErrorAttributes}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CorrelationIds implements WebFilter, WebGraphQlInterceptor {

	/**
	 * The key in the Reactor context, the MDC, the exchange attributes and the GraphQL
	 * context.
	 */
	public static final String KEY = "correlationId";

	public static final String HEADER = "X-Request-Id";

	private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	static {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(KEY, () -> MDC.get(KEY), (value) -> MDC.put(KEY, value),
					() -> MDC.remove(KEY));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String offered = exchange.getRequest().getHeaders().getFirst(HEADER);
		String id = (offered != null && ACCEPTABLE.matcher(offered).matches()) ? offered : UUID.randomUUID().toString();
		exchange.getAttributes().put(KEY, id);
		// Spring's own log lines about the exchange, and the error handler's, show it too
		exchange.getAttributes().put(ServerWebExchange.LOG_ID_ATTRIBUTE, id);
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(exchange).contextWrite(Context.of(KEY, id));
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		Object id = request.getAttributes().get(KEY);
		if (id == null) {
			return chain.next(request);
		}
		request.configureExecutionInput(
				(input, builder) -> builder.graphQLContext((context) -> context.put(KEY, id)).build());
		return chain.next(request).contextWrite(Context.of(KEY, id));
	}

	/**
	 * Runs {@code action} (a log call) with {@code id} in the MDC, where it may not be:
	 * outside the request's Reactor operators, such as when the response is committed.
	 */
	public static void inMdc(Object id, Runnable action) {
		String previous = MDC.get(KEY);
		if (id == null || id.equals(previous)) {
			action.run();
			return;
		}
		MDC.put(KEY, id.toString());
		try {
			action.run();
		}
		finally {
			if (previous != null) {
				MDC.put(KEY, previous);
			}
			else {
				MDC.remove(KEY);
			}
		}
	}

	/** The correlation id of the current request, from the Reactor context. */
	public static Mono<String> current() {
		return Mono.deferContextual((context) -> Mono.justOrEmpty(context.<String>getOrEmpty(KEY)));
	}

}
