package io.personagate.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GraphQL over WebSocket ({@code graphql-transport-ws}) client as browsers' libraries
 * such as {@code graphql-ws} behave: {@code connection_init} goes out the moment the
 * socket opens. Every message and the close status are kept for the test to look at.
 */
public final class GraphQlSocket implements WebSocket.Listener, AutoCloseable {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, Object> initPayload;

	private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<JsonNode> acknowledged = new CompletableFuture<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private volatile WebSocket socket;

	private GraphQlSocket(Map<String, Object> initPayload) {
		this.initPayload = initPayload;
	}

	/**
	 * Opens a socket that sends {@code connection_init} with this bearer token on open.
	 */
	public static GraphQlSocket open(int port, String token) {
		return open(port, (token != null) ? Map.of("Authorization", "Bearer " + token) : Map.of());
	}

	public static GraphQlSocket open(int port, Map<String, Object> initPayload) {
		GraphQlSocket client = new GraphQlSocket(initPayload);
		http.newWebSocketBuilder()
			.subprotocols("graphql-transport-ws")
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), client)
			.whenComplete((socket, ex) -> {
				if (ex != null) {
					client.acknowledged.completeExceptionally(ex);
					client.closed.completeExceptionally(ex);
				}
			});
		return client;
	}

	/** The future of {@code connection_ack}. */
	public CompletableFuture<JsonNode> acknowledged() {
		return this.acknowledged;
	}

	/** The future of the close code the server sent. */
	public CompletableFuture<Integer> closed() {
		return this.closed;
	}

	/** Waits for {@code connection_ack}. */
	public GraphQlSocket awaitAcknowledged(Duration timeout) {
		this.acknowledged.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
		return this;
	}

	/** Sends a {@code subscribe} message. */
	public void subscribe(String id, String query, Map<String, Object> variables) {
		send(Map.of("id", id, "type", "subscribe", "payload", Map.of("query", query, "variables", variables)));
	}

	/** Sends a {@code complete} message, ending one subscription. */
	public void complete(String id) {
		send(Map.of("id", id, "type", "complete"));
	}

	/** The next message the server sent, waiting at most this long. */
	public JsonNode next(Duration timeout) {
		try {
			JsonNode message = this.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (message == null) {
				throw new AssertionError("No message within " + timeout);
			}
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The next message about this operation id, skipping others. */
	public JsonNode next(String id, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (id.equals(message.path("id").asString(null))) {
				return message;
			}
		}
	}

	/**
	 * Whether the server sent nothing in this time: the way to check that something does
	 * not happen.
	 */
	public boolean nothingWithin(Duration time) {
		try {
			return this.messages.poll(time.toMillis(), TimeUnit.MILLISECONDS) == null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Every message received and not yet taken. */
	public List<JsonNode> received() {
		List<JsonNode> received = new ArrayList<>();
		this.messages.drainTo(received);
		return received;
	}

	/** Sends this message as it is, such as one the protocol does not know. */
	public void send(Map<String, Object> message) {
		this.acknowledged.join();
		this.socket.sendText(json.writeValueAsString(message), true).join();
	}

	@Override
	public void onOpen(WebSocket socket) {
		this.socket = socket;
		socket.sendText(json.writeValueAsString(Map.of("type", "connection_init", "payload", this.initPayload)), true);
		socket.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			JsonNode message = json.readTree(this.partial.toString());
			this.partial.setLength(0);
			if ("connection_ack".equals(message.path("type").asString(null))) {
				this.acknowledged.complete(message);
			}
			else {
				this.messages.add(message);
			}
		}
		socket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
		this.acknowledged.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket socket, Throwable error) {
		this.acknowledged.completeExceptionally(error);
		this.closed.completeExceptionally(error);
	}

	/**
	 * Closes the socket and waits for the server's close, so that the server has ended
	 * this connection's subscriptions before the next test.
	 */
	@Override
	public void close() {
		WebSocket current = this.socket;
		if (current != null && !current.isOutputClosed()) {
			current.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally((ex) -> null);
		}
		if (current != null) {
			this.closed.completeOnTimeout(-1, 10, TimeUnit.SECONDS).exceptionally((ex) -> -1).join();
		}
	}

}
