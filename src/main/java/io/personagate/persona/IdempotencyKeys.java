package io.personagate.persona;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic {@code Idempotency-Key} values. Two requests that mean the same thing get
 * the same key, so Persona replays the first answer instead of acting twice; requests
 * that mean different things never share one.
 */
public final class IdempotencyKeys {

	private IdempotencyKeys() {
	}

	/**
	 * The key for creating the {@code ordinal}-th inquiry (1-based) of a user on a
	 * template. A create that is retried after a crash or a lost response sees the same
	 * inquiries, so it computes the same ordinal and the same key.
	 */
	public static String forCreate(String referenceId, TemplateId template, int ordinal) {
		return "gate-create-" + digest("create", referenceId, template.value(), Integer.toString(ordinal));
	}

	/**
	 * The key for resuming an inquiry as last seen at {@code version} (its updated-at, or
	 * its status).
	 */
	public static String forResume(String inquiryId, String version) {
		return "gate-resume-" + digest("resume", inquiryId, version);
	}

	private static String digest(String... parts) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (String part : parts) {
				byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
				sha256.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
				sha256.update((byte) ':');
				sha256.update(bytes);
			}
			return HexFormat.of().formatHex(sha256.digest(), 0, 20);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
