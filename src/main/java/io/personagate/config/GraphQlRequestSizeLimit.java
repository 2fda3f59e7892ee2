package io.personagate.config;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Answers 413 to a {@code POST} to the GraphQL endpoint whose body is larger than
 * {@code gate.graphql.max-request-size}, before anything buffers or parses it: at once
 * when {@code Content-Length} says so, and as soon as the limit is passed when the body
 * is streamed without one. Runs before every other filter, security included: the check
 * needs nothing but the headers, and its answer does not depend on who asks.
 */
public class GraphQlRequestSizeLimit implements WebFilter, Ordered {

	private final String path;

	private final long maxBytes;

	public GraphQlRequestSizeLimit(String path, DataSize maxSize) {
		this.path = path;
		this.maxBytes = maxSize.toBytes();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!HttpMethod.POST.equals(request.getMethod())
				|| !this.path.equals(request.getPath().pathWithinApplication().value())) {
			return chain.filter(exchange);
		}
		if (request.getHeaders().getContentLength() > this.maxBytes) {
			return Mono.error(tooLarge());
		}
		return chain.filter(exchange.mutate().request(new Limited(request)).build());
	}

	private ResponseStatusException tooLarge() {
		return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
				"GraphQL request body larger than " + this.maxBytes + " bytes");
	}

	private final class Limited extends ServerHttpRequestDecorator {

		Limited(ServerHttpRequest delegate) {
			super(delegate);
		}

		@Override
		public Flux<DataBuffer> getBody() {
			AtomicLong read = new AtomicLong();
			return super.getBody().handle((buffer, sink) -> {
				if (read.addAndGet(buffer.readableByteCount()) > GraphQlRequestSizeLimit.this.maxBytes) {
					DataBufferUtils.release(buffer);
					sink.error(tooLarge());
				}
				else {
					sink.next(buffer);
				}
			});
		}

	}

}
