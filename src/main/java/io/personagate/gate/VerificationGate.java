package io.personagate.gate;

import java.time.OffsetDateTime;

import io.personagate.persona.InquiryStatus;

/**
 * The gate's answer for one user and template, as served over GraphQL.
 *
 * @param templateId the template asked about
 * @param decision what the app should do
 * @param reason why
 * @param inquiryId the inquiry the decision rests on, if any
 * @param inquiryStatus that inquiry's status, if any
 * @param checkedAt when the underlying statuses were last confirmed with Persona
 * @param stale whether Persona could not be reached to confirm an answer that was due to
 * be checked again, so the cached decision was served as it stood
 */
public record VerificationGate(String templateId, GateDecision decision, GateReason reason, String inquiryId,
		InquiryStatus inquiryStatus, OffsetDateTime checkedAt, boolean stale) {

}
