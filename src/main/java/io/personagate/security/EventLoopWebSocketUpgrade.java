package io.personagate.security;

import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;

/**
 * Upgrades to WebSocket on the connection's own event loop. Reactor Netty hands the
 * socket's frames to the WebSocket only once the {@code 101} response has been written
 * and a listener has rebound the connection; when the upgrade starts on another thread,
 * the write can finish before that listener is added, Netty then runs the listener as a
 * later task on the event loop, and a frame read in between (a {@code connection_init}
 * sent the moment the socket opens) goes to the finished HTTP exchange and is dropped
 * (the race of reactor/reactor-netty#1089, fixed there only for upgrades that start on
 * the event loop). Anything asynchronous before the upgrade (Spring Security's default
 * WebSession, which {@link SecurityConfiguration} turns off, was one) moves it to another
 * thread.
 */
@Configuration(proxyBeanMethods = false)
public class EventLoopWebSocketUpgrade implements WebFluxConfigurer {

	@Override
	public WebSocketService getWebSocketService() {
		return new HandshakeWebSocketService(new Strategy());
	}

	static final class Strategy implements RequestUpgradeStrategy {

		private final ReactorNettyRequestUpgradeStrategy delegate = new ReactorNettyRequestUpgradeStrategy();

		@Override
		public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable String subProtocol,
				Supplier<HandshakeInfo> handshakeInfoFactory) {
			Mono<Void> upgrade = this.delegate.upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
			Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
			if (request instanceof Connection connection) {
				EventLoop eventLoop = connection.channel().eventLoop();
				if (!eventLoop.inEventLoop()) {
					return upgrade.subscribeOn(Schedulers.fromExecutor(eventLoop));
				}
			}
			return upgrade;
		}

	}

}
