package io.personagate.security;

import io.personagate.config.GateProperties;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Takes the Persona Reference ID, the signed-in user's id, from their validated JWT. An
 * id is at most {@value #MAX_LENGTH} characters (code points), all printable: no control
 * characters (a NUL, a line break), no line or paragraph separators and no lone
 * surrogates, which PostgreSQL cannot store and which would let a token forge log lines.
 */
@Component
public class ReferenceIds {

	/** Most characters (code points) of a reference id. */
	public static final int MAX_LENGTH = 255;

	private final String claim;

	public ReferenceIds(GateProperties properties) {
		this.claim = properties.referenceIdClaim();
	}

	public String of(Jwt jwt) {
		if (jwt == null) {
			throw new UnauthenticatedException("A valid bearer token is required");
		}
		Object value = jwt.getClaims().get(this.claim);
		if (!(value instanceof String id) || id.isBlank()) {
			throw new UnauthenticatedException(
					"The bearer token has no '" + this.claim + "' claim to identify the user");
		}
		if (id.codePointCount(0, id.length()) > MAX_LENGTH) {
			throw new UnauthenticatedException(
					"The bearer token's '" + this.claim + "' claim is longer than " + MAX_LENGTH + " characters");
		}
		if (!isPrintable(id)) {
			throw new UnauthenticatedException("The bearer token's '" + this.claim
					+ "' claim contains control characters or line breaks; a user id must be printable text");
		}
		return id;
	}

	/**
	 * Whether {@code text} is printable ({@link #isPrintable}) and at most {@code max}
	 * characters long, counted in code points: the rule for every text from outside that
	 * the service stores or logs.
	 */
	public static boolean fits(String text, int max) {
		return text.length() <= 2 * max && text.codePointCount(0, text.length()) <= max && isPrintable(text);
	}

	/**
	 * Whether {@code text} holds no control characters, line or paragraph separators, nor
	 * lone surrogates.
	 */
	public static boolean isPrintable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
				return false;
			}
			if (Character.isSurrogate(c)) {
				if (!Character.isHighSurrogate(c) || i + 1 >= text.length()
						|| !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
		}
		return true;
	}

}
