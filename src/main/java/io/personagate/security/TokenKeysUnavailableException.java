package io.personagate.security;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * A token could not be checked because the identity provider's keys (or its discovery
 * document) could not be fetched: a fault of the service's surroundings, not of the
 * token, answered with 503 rather than 401.
 */
public class TokenKeysUnavailableException extends AuthenticationServiceException {

	public TokenKeysUnavailableException(Throwable cause) {
		super("The identity provider's token keys could not be fetched: " + cause.getMessage(), cause);
	}

}
