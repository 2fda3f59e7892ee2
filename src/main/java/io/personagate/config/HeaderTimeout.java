package io.personagate.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

/**
 * Closes, with a 408, a connection that has not sent a whole request line and headers
 * within {@code gate.http.header-timeout} of opening, or of the first byte of a later
 * request on it (a slowloris client holds a connection by sending its headers a byte at a
 * time). Reactor Netty has no such bound: its {@code idleTimeout} starts again with every
 * byte read, and its {@code readTimeout} and {@code requestTimeout} start once the
 * headers are in. Once the connection is a WebSocket the bound no longer applies. A
 * connection closed so, or by its client before its headers were in, is logged at DEBUG
 * (Reactor Netty logs a WARN for each): each costs nothing, and a flood of them must not
 * flood the log.
 */
@Component
class HeaderTimeout implements NettyServerCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(HeaderTimeout.class);

	private static final String NAME = "gate.headerTimeout";

	private final long timeoutNanos;

	HeaderTimeout(HttpProperties properties) {
		this.timeoutNanos = properties.headerTimeout().toNanos();
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				Timer timer = new Timer(this.timeoutNanos);
				channel.pipeline().addBefore(NettyPipeline.HttpCodec, NAME + ".bytes", new Bytes(timer));
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, NAME + ".requests", new Requests(timer));
			}
		});
	}

	/**
	 * One connection's wait for a request's headers: from when it opens, and from the
	 * first byte of each later request (the wait between requests is
	 * {@code server.netty.idle-timeout}'s).
	 */
	private static final class Timer {

		private final long timeoutNanos;

		private ScheduledFuture<?> pending;

		private boolean awaitingFirstByte;

		private boolean upgraded;

		Timer(long timeoutNanos) {
			this.timeoutNanos = timeoutNanos;
		}

		void start(ChannelHandlerContext ctx) {
			stop();
			this.awaitingFirstByte = false;
			this.pending = ctx.executor().schedule(() -> expire(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
		}

		void stop() {
			if (this.pending != null) {
				this.pending.cancel(false);
				this.pending = null;
			}
		}

		private void expire(ChannelHandlerContext ctx) {
			this.pending = null;
			if (!ctx.channel().isActive()) {
				return;
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Closed a connection from {}: no whole request line and headers within {}",
						ctx.channel().remoteAddress(), Duration.ofNanos(this.timeoutNanos));
			}
			ByteBuf timeout = Unpooled.copiedBuffer(
					"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
					StandardCharsets.US_ASCII);
			ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
		}

	}

	/** Before the HTTP codec: starts the wait at a later request's first byte. */
	private static final class Bytes extends ChannelInboundHandlerAdapter {

		private final Timer timer;

		Bytes(Timer timer) {
			this.timer = timer;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (ctx.channel().isActive()) {
				this.timer.start(ctx);
			}
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.timer.start(ctx);
			ctx.fireChannelActive();
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (this.timer.awaitingFirstByte && !this.timer.upgraded) {
				this.timer.start(ctx);
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.timer.stop();
			ctx.fireChannelInactive();
		}

	}

	/**
	 * After the HTTP codec: ends the wait at the headers, and awaits the next request.
	 */
	private static final class Requests extends ChannelDuplexHandler {

		private final Timer timer;

		Requests(Timer timer) {
			this.timer = timer;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest request) {
				this.timer.stop();
				if (request.decoderResult().cause() instanceof PrematureChannelClosureException) {
					// the connection closed before its headers were in (by its client, or
					// by the timer): Reactor Netty would log a WARN for each
					logger.debug("A connection from {} closed before its request's headers were in",
							ctx.channel().remoteAddress());
					ReferenceCountUtil.release(msg);
					return;
				}
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (msg instanceof HttpResponse response
					&& HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
				this.timer.upgraded = true;
			}
			if (msg instanceof LastHttpContent && !this.timer.upgraded) {
				this.timer.awaitingFirstByte = true;
			}
			ctx.write(msg, promise);
		}

	}

}
