package io.personagate.store;

import java.time.Instant;

/**
 * An attempt an operator granted: one row of {@code inquiry_grant}, as the gate needs it.
 *
 * @param grantedAt when it was granted
 * @param inquiryId the inquiry this service created with it, or {@code null}
 */
public record GrantRecord(Instant grantedAt, String inquiryId) {

}
