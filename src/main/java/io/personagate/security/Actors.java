package io.personagate.security;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is asking, as the audit trail records it: the token's subject ({@code sub}), which
 * for a client-credentials token is usually the client's id; else its {@code client_id}
 * or {@code azp} claim. Cut at {@value #MAX_LENGTH} characters (code points, so never
 * within one); a subject that is not printable text ({@link ReferenceIds#isPrintable}) is
 * refused, as it could be neither stored nor logged.
 */
public final class Actors {

	private static final int MAX_LENGTH = 255;

	private Actors() {
	}

	public static String of(Jwt jwt) {
		if (jwt == null) {
			throw new UnauthenticatedException("A valid bearer token is required");
		}
		for (String claim : new String[] { "sub", "client_id", "azp" }) {
			if (jwt.getClaims().get(claim) instanceof String value && !value.isBlank()) {
				if (!ReferenceIds.isPrintable(value)) {
					throw new UnauthenticatedException("The bearer token's '" + claim
							+ "' claim contains control characters or line breaks; a subject must be printable text");
				}
				return (value.codePointCount(0, value.length()) > MAX_LENGTH)
						? value.substring(0, value.offsetByCodePoints(0, MAX_LENGTH)) : value;
			}
		}
		throw new UnauthenticatedException("The bearer token names no subject (sub, client_id or azp) to record");
	}

}
