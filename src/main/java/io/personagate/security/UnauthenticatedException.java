package io.personagate.security;

/**
 * The request does not carry a usable identity.
 */
public class UnauthenticatedException extends RuntimeException {

	public UnauthenticatedException(String message) {
		super(message);
	}

}
