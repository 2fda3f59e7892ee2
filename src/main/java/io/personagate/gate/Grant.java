package io.personagate.gate;

import java.time.Instant;

/**
 * One more inquiry an operator let a user start although the policy said DENY.
 *
 * @param grantedAt when it was granted
 * @param inquiryId the inquiry created with it, or {@code null} while none is known
 * @param expiresAt when it lapses if no inquiry was created with it by then, or
 * {@code null} for never
 */
public record Grant(Instant grantedAt, String inquiryId, Instant expiresAt) {

	public Grant(Instant grantedAt, String inquiryId) {
		this(grantedAt, inquiryId, null);
	}

	/** Whether an inquiry created at {@code at} may still use it. */
	boolean isOpenAt(Instant at) {
		return this.expiresAt == null || at.isBefore(this.expiresAt);
	}

}
