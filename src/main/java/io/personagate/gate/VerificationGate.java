package io.personagate.gate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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
 * @param retryAt when a DENY becomes START by time alone, if it does
 * @param validUntil when an ALLOW ends by time alone, if it does
 * @param attemptsLeft how many more inquiries the user may start
 * @param changesAt when time alone next changes this answer, if it does; not served, it
 * tells a subscription when to read the gate again
 */
public record VerificationGate(String templateId, GateDecision decision, GateReason reason, String inquiryId,
		InquiryStatus inquiryStatus, OffsetDateTime checkedAt, boolean stale, OffsetDateTime retryAt,
		OffsetDateTime validUntil, int attemptsLeft, Instant changesAt) {

	static VerificationGate of(String templateId, Verdict verdict, Instant checkedAt, boolean stale) {
		Inquiry inquiry = verdict.inquiry();
		return new VerificationGate(templateId, verdict.decision(), verdict.reason(),
				(inquiry != null) ? inquiry.id() : null, (inquiry != null) ? inquiry.status() : null,
				checkedAt.atOffset(ZoneOffset.UTC), stale, utc(verdict.retryAt()), utc(verdict.validUntil()),
				verdict.attemptsLeft(), verdict.changesAt());
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
