package io.personagate.operator;

import io.personagate.gate.VerificationGate;

/**
 * What refreshVerificationGate answers.
 *
 * @param clientMutationId the input's
 * @param gate the user's gate after Persona was asked
 */
public record RefreshVerificationGatePayload(String clientMutationId, VerificationGate gate) {

}
