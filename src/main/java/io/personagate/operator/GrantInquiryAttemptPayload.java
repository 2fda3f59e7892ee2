package io.personagate.operator;

import io.personagate.gate.VerificationGate;

/**
 * What grantInquiryAttempt answers.
 *
 * @param clientMutationId the input's
 * @param gate the user's gate after the grant: START
 */
public record GrantInquiryAttemptPayload(String clientMutationId, VerificationGate gate) {

}
