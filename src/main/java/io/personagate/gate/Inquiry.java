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
 * @param decisionedAt when a workflow or a reviewer decided it (Persona's
 * {@code decisioned-at}), if known
 * @param completedAt when the user finished it (Persona's {@code completed-at}), if known
 * @param failedAt when the user ran out of attempts inside it (Persona's
 * {@code failed-at}), if known
 */
public record Inquiry(String id, InquiryStatus status, Instant createdAt, Instant expiredAt, Instant updatedAt,
		Instant redactedAt, Instant decisionedAt, Instant completedAt, Instant failedAt) {

	public Inquiry(String id, InquiryStatus status, Instant createdAt, Instant expiredAt, Instant updatedAt,
			Instant redactedAt) {
		this(id, status, createdAt, expiredAt, updatedAt, redactedAt, null, null, null);
	}

	public boolean isRedacted() {
		return this.redactedAt != null;
	}

	Instant expiredAtOrLatest() {
		if (this.expiredAt != null) {
			return this.expiredAt;
		}
		return (this.updatedAt != null) ? this.updatedAt : this.createdAt;
	}

	/**
	 * When it was decided, as cooldowns and approval validity count from: Persona's
	 * {@code decisioned-at}, else {@code completed-at}, else {@code failed-at}, else, for
	 * an inquiry cached before those were read, the last time Persona changed it.
	 */
	Instant decidedAt() {
		if (this.decisionedAt != null) {
			return this.decisionedAt;
		}
		if (this.completedAt != null) {
			return this.completedAt;
		}
		if (this.failedAt != null) {
			return this.failedAt;
		}
		return (this.updatedAt != null) ? this.updatedAt : this.createdAt;
	}

}
