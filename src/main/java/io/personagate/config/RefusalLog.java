package io.personagate.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.GraphQLError;
import io.personagate.persona.LogSafe;
import io.personagate.webhook.WebhookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One log line for each refused request, with its correlation id: over HTTP, any 4xx but
 * 404 (a token missing or rejected, an origin not allowed, a body too large or
 * malformed); in GraphQL, a result whose errors the caller caused ({@code BAD_REQUEST},
 * {@code UNAUTHORIZED}, {@code FORBIDDEN}, a limit, a validation error). Faults (Persona,
 * the database) are logged where they are handled, and webhooks log their own refusals,
 * so neither is logged again here. Everything from the request is made safe to log
 * ({@link LogSafe}) and cut short.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RefusalLog implements WebFilter, WebGraphQlInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(RefusalLog.class);

	/** Classifications of errors that are faults, not refusals: logged where handled. */
	private static final Set<String> FAULTS = Set.of("UPSTREAM_UNAVAILABLE", "UPSTREAM_REJECTED",
			"SERVICE_MISCONFIGURED", "DATABASE_UNAVAILABLE", "INTERNAL_ERROR");

	private static final int MAX_TEXT = 200;

	private static final Pattern BEARER_ERROR = Pattern.compile("error=\"([^\"]*)\"");

	private static final Pattern BEARER_DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

	private static final Pattern OPERATION = Pattern
		.compile("\\s*(?:#[^\\n]*\\n\\s*)*(?:query|mutation|subscription)\\s+([_A-Za-z][_0-9A-Za-z]*)");

	private final String webhookPath;

	public RefusalLog(WebhookProperties webhooks) {
		this.webhookPath = webhooks.path();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.webhookPath.equals(exchange.getRequest().getPath().value())) {
			exchange.getResponse().beforeCommit(() -> {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				if (status != null && status.is4xxClientError() && status.value() != 404) {
					CorrelationIds.inMdc(exchange.getAttribute(CorrelationIds.KEY),
							() -> logger.info("Refused {} {}: HTTP {}{}", exchange.getRequest().getMethod(),
									safe(exchange.getRequest().getPath().value()), status.value(),
									reason(exchange, status)));
				}
				return Mono.empty();
			});
		}
		return chain.filter(exchange);
	}

	private static String reason(ServerWebExchange exchange, HttpStatusCode status) {
		ServerHttpRequest request = exchange.getRequest();
		if (status.value() == 401) {
			String challenge = exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE);
			if (challenge == null || !challenge.contains("error=")) {
				return (request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION))
						? " (the Authorization header is not a bearer token)" : " (no bearer token)";
			}
			String description = group(BEARER_DESCRIPTION.matcher(challenge));
			return " (" + safe(group(BEARER_ERROR.matcher(challenge)))
					+ ((description != null) ? ": " + safe(description) : "") + ")";
		}
		String origin = request.getHeaders().getOrigin();
		if (status.value() == 403 && origin != null) {
			return " (origin " + safe(origin) + ")";
		}
		return "";
	}

	private static String group(Matcher matcher) {
		return matcher.find() ? matcher.group(1) : null;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).doOnNext((response) -> {
			List<GraphQLError> errors = response.getExecutionResult().getErrors();
			if (!errors.isEmpty()) {
				logRefusal(request, errors);
			}
		});
	}

	private static void logRefusal(WebGraphQlRequest request, List<GraphQLError> errors) {
		GraphQLError refusal = errors.stream()
			.filter((error) -> !FAULTS.contains(classification(error)))
			.findFirst()
			.orElse(null);
		if (refusal == null) {
			return;
		}
		String operation = safe(operationName(request));
		CorrelationIds.inMdc(request.getAttributes().get(CorrelationIds.KEY),
				() -> logger.info("Refused GraphQL operation {}: {} {}{}", operation, classification(refusal),
						safe(refusal.getMessage()), (errors.size() > 1) ? " (+" + (errors.size() - 1) + " more)" : ""));
	}

	/** The name the caller gave, else that of the document's first operation. */
	private static String operationName(WebGraphQlRequest request) {
		if (request.getOperationName() != null) {
			return request.getOperationName();
		}
		Matcher named = OPERATION.matcher(request.getDocument());
		return named.lookingAt() ? named.group(1) : "(unnamed)";
	}

	private static String classification(GraphQLError error) {
		return (error.getErrorType() != null) ? error.getErrorType().toString() : "UNCLASSIFIED";
	}

	private static String safe(String text) {
		if (text == null) {
			return null;
		}
		String cut = (text.length() > MAX_TEXT) ? text.substring(0, MAX_TEXT) + "..." : text;
		return LogSafe.of(cut);
	}

}
