package io.personagate.config;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Handles every request in a task of its own on its connection's event loop, so that no
 * response is ever completed while Reactor Netty is still dispatching it. A request that
 * arrives on a kept-alive connection before the previous one has finished is queued; when
 * the queued request was answered at once (a 401 or 403 written while it was being
 * dispatched), Reactor Netty drained the queue without asking the socket for more, and
 * the connection's next request was never read: the client waited until its own timeout
 * (reactor/reactor-netty#4347 and #4361, in the Reactor Netty 1.3.6 this service runs
 * on).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EventLoopDispatch implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof Connection connection) {
			EventLoop eventLoop = connection.channel().eventLoop();
			return chain.filter(exchange).subscribeOn(Schedulers.fromExecutor(eventLoop));
		}
		return chain.filter(exchange);
	}

}
