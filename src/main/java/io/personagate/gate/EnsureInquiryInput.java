package io.personagate.gate;

import io.personagate.security.ReferenceIds;

/**
 * Input of the {@code ensureInquiry} mutation.
 *
 * @param templateId the gated template
 * @param clientMutationId echoed back unchanged; at most
 * {@value #MAX_CLIENT_MUTATION_ID_LENGTH} printable characters
 */
public record EnsureInquiryInput(String templateId, String clientMutationId) {

	public static final int MAX_CLIENT_MUTATION_ID_LENGTH = 128;

	/**
	 * Refuses a {@code clientMutationId} longer than
	 * {@value #MAX_CLIENT_MUTATION_ID_LENGTH} characters or holding control characters.
	 */
	static void checkClientMutationId(String clientMutationId) {
		if (clientMutationId != null && !ReferenceIds.fits(clientMutationId, MAX_CLIENT_MUTATION_ID_LENGTH)) {
			throw new InvalidInputException("clientMutationId must be at most " + MAX_CLIENT_MUTATION_ID_LENGTH
					+ " characters, without control characters or line breaks");
		}
	}

}
