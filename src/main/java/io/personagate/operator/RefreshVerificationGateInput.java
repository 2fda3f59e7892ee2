package io.personagate.operator;

import io.personagate.gate.EnsureInquiryInput;
import io.personagate.security.PrintableText;
import io.personagate.security.ReferenceIds;
import jakarta.validation.constraints.NotBlank;

/**
 * Input of refreshVerificationGate.
 *
 * @param referenceId the user
 * @param templateId the gated template
 * @param note why, for the audit trail (optional)
 * @param clientMutationId echoed back
 */
public record RefreshVerificationGateInput(@NotBlank @PrintableText(max = ReferenceIds.MAX_LENGTH) String referenceId,
		String templateId, @PrintableText(max = OperatorController.MAX_NOTE_LENGTH, lineBreaks = true) String note,
		@PrintableText(max = EnsureInquiryInput.MAX_CLIENT_MUTATION_ID_LENGTH) String clientMutationId) {

}
