package io.personagate.gate;

import java.time.Instant;

import io.personagate.persona.InquiryStatus;

/**
 * What the decision needs to know about one of the user's inquiries.
 *
 * @param id Persona's inquiry id ({@code inq_...})
 * @param status its status
 * @param createdAt when it was created at Persona
 * @param expiredAt when it expired, if it did
 * @param updatedAt when Persona last changed it, if known
 * @param redactedAt when it was redacted, if it was: it keeps its status but can no
 * longer be resumed
 */
public record Inquiry(String id, InquiryStatus status, Instant createdAt, Instant expiredAt, Instant updatedAt,
		Instant redactedAt) {

	public boolean isRedacted() {
		return this.redactedAt != null;
	}

	Instant expiredAtOrLatest() {
		if (this.expiredAt != null) {
			return this.expiredAt;
		}
		return (this.updatedAt != null) ? this.updatedAt : this.createdAt;
	}

}
