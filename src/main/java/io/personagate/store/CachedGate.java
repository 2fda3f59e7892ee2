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

	/**
	 * When Persona last confirmed what this gate rests on: the last listing, or a later
	 * webhook, create or resume that told of one of the inquiries; {@code null} if never.
	 */
	public Instant confirmedAt() {
		Instant latest = this.checkedAt;
		for (InquiryRecord record : this.records) {
			if (record.syncedAt() != null && (latest == null || record.syncedAt().isAfter(latest))) {
				latest = record.syncedAt();
			}
		}
		return latest;
	}

}
