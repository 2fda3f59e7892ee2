package io.personagate.store;

import java.time.Duration;

/**
 * Another request for the same user and template held the get-or-create claim for longer
 * than this one was willing to wait, or took it over while this one was still working.
 */
public class ClaimTimeoutException extends RuntimeException {

	public ClaimTimeoutException(Duration waited) {
		super("Another request for this user and template is still creating or resuming the inquiry (waited "
				+ waited.toMillis() + " ms); retry shortly");
	}

	ClaimTimeoutException(String message) {
		super(message);
	}

}
