package io.personagate.operator;

/**
 * Input of refreshVerificationGate.
 *
 * @param referenceId the user
 * @param templateId the gated template
 * @param note why, for the audit trail (optional)
 * @param clientMutationId echoed back
 */
public record RefreshVerificationGateInput(String referenceId, String templateId, String note,
		String clientMutationId) {

}
