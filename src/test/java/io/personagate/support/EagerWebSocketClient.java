package io.personagate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quickest {@code graphql-transport-ws} client there can be, on a plain socket: it
 * writes {@code connection_init} the moment the last byte of the {@code 101} response is
 * read, with no library between, and says which message the server answered with. Races
 * of the server between the upgrade and its first read show here before any real client
 * meets them.
 */
public final class EagerWebSocketClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private EagerWebSocketClient() {
	}

	/**
	 * Connects, sends {@code connection_init} with this bearer token on open, and returns
	 * the type of the server's first message ({@code connection_ack}), {@code "close "}
	 * and its code, or {@code "nothing"} if nothing came within {@code timeout}.
	 */
	public static String firstAnswer(int port, String token, Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			byte[] frame = maskedText(json.writeValueAsString(
					Map.of("type", "connection_init", "payload", Map.of("Authorization", "Bearer " + token))));
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			byte[] key = new byte[16];
			ThreadLocalRandom.current().nextBytes(key);
			out.write(("GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
					+ Base64.getEncoder().encodeToString(key)
					+ "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String status = readHead(in);
			if (!status.startsWith("HTTP/1.1 101")) {
				return "refused " + status;
			}
			out.write(frame);
			out.flush();
			try {
				String answer = readFirstMessage(in);
				out.write(maskedClose());
				out.flush();
				return answer;
			}
			catch (SocketTimeoutException ex) {
				return "nothing";
			}
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed during the handshake: " + head);
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.US_ASCII);
		return text.substring(0, text.indexOf('\r'));
	}

	private static String readFirstMessage(InputStream in) throws IOException {
		while (true) {
			int first = readByte(in);
			int opcode = first & 0x0F;
			long length = readByte(in) & 0x7F;
			if (length == 126) {
				length = (readByte(in) << 8) | readByte(in);
			}
			else if (length == 127) {
				length = 0;
				for (int i = 0; i < 8; i++) {
					length = (length << 8) | readByte(in);
				}
			}
			byte[] payload = in.readNBytes((int) length);
			if (opcode == 0x8) {
				int code = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
				return "close " + code;
			}
			if (opcode == 0x1) {
				JsonNode message = json.readTree(new String(payload, StandardCharsets.UTF_8));
				return message.path("type").asString("?");
			}
		}
	}

	private static int readByte(InputStream in) throws IOException {
		int b = in.read();
		if (b < 0) {
			throw new IOException("closed by the server");
		}
		return b;
	}

	private static byte[] maskedText(String text) {
		return masked(0x81, text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] maskedClose() {
		return masked(0x88, new byte[] { 0x03, (byte) 0xE8 });
	}

	private static byte[] masked(int first, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(first);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.writeBytes(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		return frame.toByteArray();
	}

}
