package io.personagate.operator;

import java.time.OffsetDateTime;

import io.personagate.gate.EnsureInquiryInput;
import io.personagate.security.PrintableText;
import io.personagate.security.ReferenceIds;
import jakarta.validation.constraints.NotBlank;

/**
 * Input of grantInquiryAttempt.
 *
 * @param referenceId the user
 * @param templateId the gated template
 * @param reason why, for the audit trail
 * @param clientMutationId echoed back
 * @param expiresAt when the grant lapses if no inquiry was created with it by then, or
 * {@code null} for never
 */
public record GrantInquiryAttemptInput(@NotBlank @PrintableText(max = ReferenceIds.MAX_LENGTH) String referenceId,
		String templateId,
		@NotBlank(message = "must not be blank: say why, for the audit trail") @PrintableText(
				max = OperatorController.MAX_NOTE_LENGTH, lineBreaks = true) String reason,
		@PrintableText(max = EnsureInquiryInput.MAX_CLIENT_MUTATION_ID_LENGTH) String clientMutationId,
		OffsetDateTime expiresAt) {

}
