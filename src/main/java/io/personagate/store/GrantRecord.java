package io.personagate.store;

import java.time.Instant;

/**
 * An attempt an operator granted: one row of {@code inquiry_grant}, as the gate needs it.
 *
 * @param grantedAt when it was granted
 * @param inquiryId the inquiry this service created with it, or {@code null}
 * @param expiresAt when it lapses unused, or {@code null} for never
 */
public record GrantRecord(Instant grantedAt, String inquiryId, Instant expiresAt) {

	public GrantRecord(Instant grantedAt, String inquiryId) {
		this(grantedAt, inquiryId, null);
	}

}
