package io.personagate.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks
 * {@code Persona-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}.
 * While a secret is rotated the header carries two such pairs separated by a space; one
 * valid pair is enough.
 */
public final class WebhookSignature {

	/** What a check found. */
	public enum Result {

		VALID, MISSING, MALFORMED, STALE, MISMATCH

	}

	private final List<byte[]> secrets;

	private final Duration tolerance;

	public WebhookSignature(List<String> secrets, Duration tolerance) {
		this.secrets = secrets.stream().map((secret) -> secret.getBytes(StandardCharsets.UTF_8)).toList();
		this.tolerance = tolerance;
	}

	public Result verify(String header, byte[] body, Instant now) {
		if (header == null || header.isBlank()) {
			return Result.MISSING;
		}
		List<Pair> pairs = parse(header);
		if (pairs.isEmpty()) {
			return Result.MALFORMED;
		}
		boolean anyFresh = false;
		for (Pair pair : pairs) {
			if (Duration.between(Instant.ofEpochSecond(pair.timestamp()), now).abs().compareTo(this.tolerance) > 0) {
				continue;
			}
			anyFresh = true;
			for (byte[] secret : this.secrets) {
				if (MessageDigest.isEqual(hmac(secret, pair.timestamp(), body), pair.signature())) {
					return Result.VALID;
				}
			}
		}
		return anyFresh ? Result.MISMATCH : Result.STALE;
	}

	/**
	 * The header value Persona would send for this body, secret and time (for tests and
	 * tooling).
	 */
	public static String sign(String secret, byte[] body, long timestamp) {
		return "t=" + timestamp + ",v1="
				+ HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp, body));
	}

	private static List<Pair> parse(String header) {
		List<Pair> pairs = new ArrayList<>();
		for (String group : header.trim().split("\\s+")) {
			Long timestamp = null;
			byte[] signature = null;
			for (String part : group.split(",")) {
				int eq = part.indexOf('=');
				if (eq <= 0) {
					return List.of();
				}
				String key = part.substring(0, eq).trim();
				String value = part.substring(eq + 1).trim();
				try {
					if (key.equals("t")) {
						timestamp = Long.parseLong(value);
					}
					else if (key.equals("v1")) {
						signature = HexFormat.of().parseHex(value);
					}
				}
				catch (IllegalArgumentException ex) {
					return List.of();
				}
			}
			if (timestamp == null || signature == null) {
				return List.of();
			}
			pairs.add(new Pair(timestamp, signature));
		}
		return pairs;
	}

	private static byte[] hmac(byte[] secret, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Pair(long timestamp, byte[] signature) {
	}

}
