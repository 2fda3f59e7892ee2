package io.personagate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.personagate.gate.Inquiry;

/**
 * Everything cached about one user on one template.
 *
 * @param records the user's known inquiries on the template
 * @param checkedAt when Persona last confirmed the whole list, or {@code null} if it
 * never did
 * @param hint what an event last told of the user's inquiries, or {@code null}
 * @param lastDecision the decision last served, or {@code null}
 * @param grants the attempts operators granted the user on the template
 */
public record CachedGate(List<InquiryRecord> records, Instant checkedAt, Hint hint, LastDecision lastDecision,
		List<GrantRecord> grants) {

	/**
	 * Whether an event told of a change that no listing has confirmed: none started after
	 * it, or, while the event is younger than {@code lag} (how far Persona's listing may
	 * lag), none since showed the inquiry it named at its status or a later version. The
	 * cached inquiries may then not be what Persona has.
	 */
	public boolean awaitsConfirmation(Instant now, Duration lag) {
		if (this.hint == null) {
			return false;
		}
		if (this.checkedAt == null || this.checkedAt.isBefore(this.hint.at())) {
			return true;
		}
		return this.hint.at().plus(lag).isAfter(now) && !confirms(this.hint);
	}

	private boolean confirms(Hint hint) {
		for (InquiryRecord record : this.records) {
			if (record.inquiryId().equals(hint.inquiryId())) {
				return record.status().equals(hint.status()) || (hint.version() != null && record.updatedAt() != null
						&& !record.updatedAt().isBefore(hint.version()));
			}
		}
		return false;
	}

	/**
	 * What an event told: an inquiry, its status and version, and when it arrived.
	 *
	 * @param at when the event arrived
	 * @param inquiryId the inquiry it named
	 * @param status the status it gave, as Persona spells it
	 * @param version the inquiry's {@code updated-at} it gave, if any
	 */
	public record Hint(Instant at, String inquiryId, String status, Instant version) {
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
