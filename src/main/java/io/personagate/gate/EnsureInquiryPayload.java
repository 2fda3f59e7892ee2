package io.personagate.gate;

/**
 * Result of the {@code ensureInquiry} mutation.
 *
 * @param clientMutationId the caller's id, echoed
 * @param gate the decision after the call
 * @param inquiryId the inquiry to open when the decision is RESUME
 * @param sessionToken the token to open it with, when it needs one
 * @param created whether this call created the inquiry
 */
public record EnsureInquiryPayload(String clientMutationId, VerificationGate gate, String inquiryId,
		String sessionToken, boolean created) {

	@Override
	public String toString() {
		return "EnsureInquiryPayload[gate=" + this.gate + ", inquiryId=" + this.inquiryId + ", sessionToken="
				+ ((this.sessionToken != null) ? "***" : null) + ", created=" + this.created + "]";
	}

}
