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
 * @param hintedAt when an event last told of a change no listing has confirmed yet, if
 * one did since the listing before
 * @param lastDecision the decision last served, or {@code null}
 * @param grants the attempts operators granted the user on the template
 */
public record CachedGate(List<InquiryRecord> records, Instant checkedAt, Instant hintedAt, LastDecision lastDecision,
		List<GrantRecord> grants) {

	/**
	 * Whether an event told of a change after the last listing started: the cached
	 * inquiries may no longer be what Persona has.
	 */
	public boolean awaitsConfirmation() {
		return this.hintedAt != null && (this.checkedAt == null || !this.hintedAt.isBefore(this.checkedAt));
	}

	public List<Inquiry> inquiries() {
		return this.records.stream().map(InquiryRecord::toInquiry).toList();
	}

	/**
	 * When Persona last confirmed what this gate rests on: the last listing, or a later
	 * create or resume that told of one of the inquiries; {@code null} if never.
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
