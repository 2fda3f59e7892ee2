package io.personagate.operator;

/**
 * Input of grantInquiryAttempt.
 *
 * @param referenceId the user
 * @param templateId the gated template
 * @param reason why, for the audit trail
 * @param clientMutationId echoed back
 */
public record GrantInquiryAttemptInput(String referenceId, String templateId, String reason, String clientMutationId) {

}
