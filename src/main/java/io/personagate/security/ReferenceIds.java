package io.personagate.security;

import io.personagate.config.GateProperties;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Takes the Persona Reference ID, the signed-in user's id, from their validated JWT.
 */
@Component
public class ReferenceIds {

	private static final int MAX_LENGTH = 255;

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
		if (id.length() > MAX_LENGTH) {
			throw new UnauthenticatedException(
					"The bearer token's '" + this.claim + "' claim is longer than " + MAX_LENGTH + " characters");
		}
		return id;
	}

}
