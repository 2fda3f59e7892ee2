package io.personagate.store;

import java.time.Instant;

import io.personagate.gate.Inquiry;
import io.personagate.persona.InquiryStatus;

/**
 * A cached inquiry: one row of {@code persona_inquiry}.
 */
public record InquiryRecord(String inquiryId, String referenceId, String templateId, String status, Instant createdAt,
		Instant updatedAt, Instant expiredAt, Instant redactedAt, Instant syncedAt) {

	public Inquiry toInquiry() {
		return new Inquiry(this.inquiryId, InquiryStatus.fromPersona(this.status), this.createdAt, this.expiredAt,
				this.updatedAt, this.redactedAt);
	}

}
