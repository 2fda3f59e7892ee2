package io.personagate.gate;

/**
 * Input of the {@code ensureInquiry} mutation.
 *
 * @param templateId the gated template
 * @param clientMutationId echoed back unchanged
 */
public record EnsureInquiryInput(String templateId, String clientMutationId) {

}
