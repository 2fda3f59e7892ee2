package io.personagate.security;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.support.GraphQlWebSocketMessageType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * Ends each subscription the client completes, for Spring for GraphQL's WebSocket handler
 * (2.0.4). On {@code complete} the handler cancels the subscription's results only if
 * they have started by then, so a {@code complete} sent right after its {@code subscribe}
 * leaves them running for ever; and even when it cancels them, the flow it merged them
 * into never ends. It merges at most 256 such flows per socket: after about 255
 * subscribe/complete pairs it read nothing more from the socket, and every later message,
 * a query included, went unanswered. Here the {@code complete} is seen before the handler
 * takes it ({@link #session}), and the results of that operation, started or not,
 * complete, which ends the handler's flow; the {@code complete} message the handler then
 * writes for it is not sent, since the protocol sends nothing more for an operation the
 * client completed. The same look at each message closes the socket with 4400, as
 * graphql-transport-ws says, on one that is not JSON or is of an unknown type (the
 * handler failed on it and the socket closed without a status, 1005).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class CompletedSubscriptions implements WebGraphQlInterceptor {

	/** What graphql-transport-ws closes with on a message it cannot take. */
	static final CloseStatus INVALID_MESSAGE = new CloseStatus(4400, "Invalid message");

	private static final String OPERATIONS = CompletedSubscriptions.class.getName() + ".operations";

	private static final JsonMapper json = JsonMapper.builder().build();

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest webSocket)
				|| !(webSocket.getSessionInfo().getAttributes().get(OPERATIONS) instanceof Operations operations)) {
			return chain.next(request);
		}
		String id = webSocket.getId();
		Sinks.One<Boolean> completed = operations.start(id);
		return chain.next(request).map((response) -> {
			if (!(response.getData() instanceof Publisher<?> results)) {
				operations.end(id, completed);
				return response;
			}
			return response.transform((builder) -> builder.data(Flux.from(results)
				.takeUntilOther(completed.asMono())
				.doFinally((signal) -> operations.end(id, completed))));
		}).doOnError((ex) -> operations.end(id, completed));
	}

	/**
	 * The session as the handler should see it: each message it receives looked at first,
	 * and the {@code complete} messages it writes for operations the client completed not
	 * sent.
	 */
	static WebSocketSession session(WebSocketSession session) {
		Operations operations = new Operations();
		session.getAttributes().put(OPERATIONS, operations);
		return new Decorated(session, (incoming) -> incoming.filter((message) -> {
			if (operations.received(message)) {
				return true;
			}
			session.close(INVALID_MESSAGE).subscribe();
			return false;
		}), (outgoing) -> Flux.from(outgoing).filter((message) -> {
			if (!operations.isCompleteOfCompleted(message)) {
				return true;
			}
			DataBufferUtils.release(message.getPayload());
			return false;
		}));
	}

	/** The operations running on one socket, and those the client completed. */
	private static final class Operations {

		private final Map<String, Sinks.One<Boolean>> running = new ConcurrentHashMap<>();

		private final Set<String> completed = ConcurrentHashMap.newKeySet();

		Sinks.One<Boolean> start(String id) {
			this.completed.remove(id);
			Sinks.One<Boolean> sink = Sinks.one();
			this.running.put(id, sink);
			return sink;
		}

		void end(String id, Sinks.One<Boolean> sink) {
			this.running.remove(id, sink);
		}

		/** Whether the message is one to hand on; a complete ends its operation first. */
		boolean received(WebSocketMessage message) {
			JsonNode node;
			try {
				node = json.readTree(message.getPayloadAsText());
			}
			catch (RuntimeException ex) {
				return false;
			}
			String type = node.path("type").asString(null);
			if (type == null || Arrays.stream(GraphQlWebSocketMessageType.values())
				.noneMatch(
						(known) -> known != GraphQlWebSocketMessageType.NOT_SPECIFIED && known.value().equals(type))) {
				return false;
			}
			if (type.equals(GraphQlWebSocketMessageType.COMPLETE.value())) {
				String id = node.path("id").asString(null);
				Sinks.One<Boolean> sink = (id != null) ? this.running.get(id) : null;
				if (sink != null) {
					this.completed.add(id);
					sink.tryEmitValue(Boolean.TRUE);
				}
			}
			return true;
		}

		boolean isCompleteOfCompleted(WebSocketMessage message) {
			if (this.completed.isEmpty()) {
				return false;
			}
			String text = message.getPayloadAsText();
			if (!text.contains(GraphQlWebSocketMessageType.COMPLETE.value())) {
				return false;
			}
			JsonNode node = json.readTree(text);
			return GraphQlWebSocketMessageType.COMPLETE.value().equals(node.path("type").asString(null))
					&& this.completed.remove(node.path("id").asString(""));
		}

	}

	private record Decorated(WebSocketSession delegate,
			Function<Flux<WebSocketMessage>, Flux<WebSocketMessage>> incoming,
			Function<Publisher<WebSocketMessage>, Publisher<WebSocketMessage>> outgoing) implements WebSocketSession {

		@Override
		public String getId() {
			return this.delegate.getId();
		}

		@Override
		public HandshakeInfo getHandshakeInfo() {
			return this.delegate.getHandshakeInfo();
		}

		@Override
		public DataBufferFactory bufferFactory() {
			return this.delegate.bufferFactory();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.delegate.getAttributes();
		}

		@Override
		public Flux<WebSocketMessage> receive() {
			return this.incoming.apply(this.delegate.receive());
		}

		@Override
		public Mono<Void> send(Publisher<WebSocketMessage> messages) {
			return this.delegate.send(this.outgoing.apply(messages));
		}

		@Override
		public boolean isOpen() {
			return this.delegate.isOpen();
		}

		@Override
		public Mono<Void> close(CloseStatus status) {
			return this.delegate.close(status);
		}

		@Override
		public Mono<CloseStatus> closeStatus() {
			return this.delegate.closeStatus();
		}

		@Override
		public WebSocketMessage textMessage(String payload) {
			return this.delegate.textMessage(payload);
		}

		@Override
		public WebSocketMessage binaryMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
			return this.delegate.binaryMessage(payloadFactory);
		}

		@Override
		public WebSocketMessage pingMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
			return this.delegate.pingMessage(payloadFactory);
		}

		@Override
		public WebSocketMessage pongMessage(Function<DataBufferFactory, DataBuffer> payloadFactory) {
			return this.delegate.pongMessage(payloadFactory);
		}

	}

}
