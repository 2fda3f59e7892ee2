package io.personagate.gate;

/**
 * An argument is out of the range the operation accepts; nothing was done.
 */
public class InvalidInputException extends RuntimeException {

	public InvalidInputException(String message) {
		super(message);
	}

}
