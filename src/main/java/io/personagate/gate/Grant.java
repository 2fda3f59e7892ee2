package io.personagate.gate;

import java.time.Instant;

/**
 * One more inquiry an operator let a user start although the policy said DENY.
 *
 * @param grantedAt when it was granted
 * @param inquiryId the inquiry created with it, or {@code null} while none is known
 */
public record Grant(Instant grantedAt, String inquiryId) {

}
