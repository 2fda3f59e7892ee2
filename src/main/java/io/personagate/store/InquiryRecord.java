package io.personagate.store;

import java.time.Instant;

import io.personagate.gate.Inquiry;
import io.personagate.persona.InquiryStatus;

/**
 * A cached inquiry: one row of {@code persona_inquiry}.
 */
public record InquiryRecord(String inquiryId, String referenceId, String templateId, String status, Instant createdAt,
		Instant updatedAt, Instant expiredAt, Instant redactedAt, Instant syncedAt, Instant decisionedAt,
		Instant completedAt, Instant failedAt) {

	public InquiryRecord(String inquiryId, String referenceId, String templateId, String status, Instant createdAt,
			Instant updatedAt, Instant expiredAt, Instant redactedAt, Instant syncedAt) {
		this(inquiryId, referenceId, templateId, status, createdAt, updatedAt, expiredAt, redactedAt, syncedAt, null,
				null, null);
	}

	public Inquiry toInquiry() {
		return new Inquiry(this.inquiryId, InquiryStatus.fromPersona(this.status), this.createdAt, this.expiredAt,
				this.updatedAt, this.redactedAt, this.decisionedAt, this.completedAt, this.failedAt);
	}

}
