package io.personagate.store;

import java.time.Instant;
import java.util.List;

import io.personagate.gate.Inquiry;

/**
 * Everything cached about one user on one template.
 *
 * @param records the user's known inquiries on the template
 * @param checkedAt when Persona last confirmed the whole list, or {@code null} if it
 * never did
 * @param lastDecision the decision last served, or {@code null}
 * @param grants the attempts operators granted the user on the template
 */
public record CachedGate(List<InquiryRecord> records, Instant checkedAt, LastDecision lastDecision,
		List<GrantRecord> grants) {

	public List<Inquiry> inquiries() {
		return this.records.stream().map(InquiryRecord::toInquiry).toList();
	}

}
