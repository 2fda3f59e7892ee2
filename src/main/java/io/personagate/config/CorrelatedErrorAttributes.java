package io.personagate.config;

import java.util.Map;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webflux.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Spring Boot's error body ({@code timestamp}, {@code path}, {@code status},
 * {@code error}, {@code requestId}) with the request's correlation id as its
 * {@code requestId}, the one in the {@code X-Request-Id} header and the log lines, in
 * place of the server's own request id.
 */
@Component
public class CorrelatedErrorAttributes extends DefaultErrorAttributes {

	private static final String REQUEST_ID = "requestId";

	@Override
	public Map<String, Object> getErrorAttributes(ServerRequest request, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(request, options);
		Object id = request.exchange().getAttribute(CorrelationIds.KEY);
		if (id != null && attributes.containsKey(REQUEST_ID)) {
			attributes.put(REQUEST_ID, id);
		}
		return attributes;
	}

}
