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
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks
 * {@code Persona-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}.
 * While a secret is rotated the header carries two such pairs separated by a space, both
 * stamped with the moment of the delivery; one valid pair is enough.
 * <p>
 * What an unsigned request can cost is bounded: a header of more than {@value #MAX_PAIRS}
 * pairs or {@value #MAX_HEADER_LENGTH} characters, pairs stamped with different times, or
 * a signature that is not 64 hex digits is malformed; a timestamp outside the tolerance,
 * however absurd, is stale; neither computes anything. Otherwise each configured secret
 * costs one HMAC over the body, compared with every pair.
 */
public final class WebhookSignature {

	/** More pairs than a rotation needs, and no more. */
	static final int MAX_PAIRS = 4;

	static final int MAX_HEADER_LENGTH = 512;

	/** {@code t}, {@code v1} and room for a scheme Persona may add. */
	private static final int MAX_PARTS = 4;

	private static final int SIGNATURE_BYTES = 32;

	/** What a check found. */
	public enum Result {

		VALID, MISSING, MALFORMED, STALE, MISMATCH

	}

	private final List<byte[]> secrets;

	private final Duration tolerance;

	private final LongAdder computed = new LongAdder();

	public WebhookSignature(List<String> secrets, Duration tolerance) {
		this.secrets = secrets.stream().map((secret) -> secret.getBytes(StandardCharsets.UTF_8)).toList();
		this.tolerance = tolerance;
	}

	/**
	 * What the header alone says: {@link Result#VALID} when it is well formed and fresh
	 * (the body is still to be checked), else why it is refused. Computes nothing.
	 */
	public Result precheck(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return Result.MISSING;
		}
		List<Pair> pairs = parse(header);
		if (pairs.isEmpty()) {
			return Result.MALFORMED;
		}
		return isFresh(pairs.get(0).timestamp(), now) ? Result.VALID : Result.STALE;
	}

	public Result verify(String header, byte[] body, Instant now) {
		Result precheck = precheck(header, now);
		if (precheck != Result.VALID) {
			return precheck;
		}
		List<Pair> pairs = parse(header);
		long timestamp = pairs.get(0).timestamp();
		for (byte[] secret : this.secrets) {
			this.computed.increment();
			byte[] expected = hmac(secret, timestamp, body);
			for (Pair pair : pairs) {
				if (MessageDigest.isEqual(expected, pair.signature())) {
					return Result.VALID;
				}
			}
		}
		return Result.MISMATCH;
	}

	/** HMACs computed so far. */
	long computed() {
		return this.computed.sum();
	}

	/**
	 * The header value Persona would send for this body, secret and time (for tests and
	 * tooling).
	 */
	public static String sign(String secret, byte[] body, long timestamp) {
		return "t=" + timestamp + ",v1="
				+ HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp, body));
	}

	/**
	 * Compared in seconds, so that no timestamp, however far off, overflows an
	 * {@link Instant}.
	 */
	private boolean isFresh(long timestamp, Instant now) {
		long seconds = now.getEpochSecond();
		long tolerance = this.tolerance.toSeconds();
		return timestamp >= seconds - tolerance && timestamp <= seconds + tolerance;
	}

	/** The pairs of a well-formed header, all with one timestamp; empty otherwise. */
	private static List<Pair> parse(String header) {
		if (header.length() > MAX_HEADER_LENGTH) {
			return List.of();
		}
		String[] groups = header.trim().split("\\s+", MAX_PAIRS + 1);
		if (groups.length > MAX_PAIRS) {
			return List.of();
		}
		List<Pair> pairs = new ArrayList<>();
		for (String group : groups) {
			Pair pair = pair(group);
			if (pair == null || (!pairs.isEmpty() && pairs.get(0).timestamp() != pair.timestamp())) {
				return List.of();
			}
			pairs.add(pair);
		}
		return pairs;
	}

	private static Pair pair(String group) {
		Long timestamp = null;
		byte[] signature = null;
		String[] parts = group.split(",", MAX_PARTS + 1);
		if (parts.length > MAX_PARTS) {
			return null;
		}
		for (String part : parts) {
			int eq = part.indexOf('=');
			if (eq <= 0) {
				return null;
			}
			String key = part.substring(0, eq).trim();
			String value = part.substring(eq + 1).trim();
			try {
				if (key.equals("t") && timestamp == null) {
					timestamp = Long.parseLong(value);
				}
				else if (key.equals("v1") && signature == null && value.length() == 2 * SIGNATURE_BYTES) {
					signature = HexFormat.of().parseHex(value);
				}
				else if (key.equals("t") || key.equals("v1")) {
					return null;
				}
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}
		return (timestamp != null && signature != null) ? new Pair(timestamp, signature) : null;
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
