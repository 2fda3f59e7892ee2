package io.personagate.gate;

/**
 * Why the gate decided as it did.
 */
public enum GateReason {

	/** An inquiry was approved. */
	APPROVED,
	/** An inquiry was completed and completion counts as a pass. */
	COMPLETED,
	/** An inquiry in another configured pass status. */
	PASSED,
	/** An inquiry was declined. */
	DECLINED,
	/** An inquiry failed. */
	FAILED,
	/** An inquiry in another configured deny status. */
	REJECTED,
	/** An inquiry is marked for manual review. */
	NEEDS_REVIEW,
	/**
	 * An inquiry finished but is neither a pass nor a denial under this template's
	 * policy.
	 */
	AWAITING_DECISION,
	/**
	 * An inquiry is in a status this service does not know; it blocks until understood.
	 */
	UNKNOWN_STATUS,
	/** An inquiry was created or started and can be continued. */
	IN_PROGRESS,
	/** An inquiry expired recently enough to be resumed. */
	EXPIRED_RESUMABLE,
	/**
	 * The newest inquiry expired too long ago, or was redacted before it was decided; a
	 * new one may be started.
	 */
	EXPIRED_TOO_OLD,
	/** The user has no inquiry on this template. */
	NO_INQUIRY,
	/** The user already used every attempt this template allows. */
	ATTEMPTS_EXHAUSTED,
	/**
	 * The policy says DENY, but an operator granted one more attempt: a new inquiry may
	 * be started.
	 */
	ATTEMPT_GRANTED,
	/**
	 * The newest denial's cooldown ({@code retry-after-failed} or
	 * {@code retry-after-declined}) is over: a new inquiry may be started.
	 */
	RETRY_ALLOWED,
	/**
	 * The approval is older than the template's {@code approval-valid-for}: the user must
	 * verify again with a new inquiry.
	 */
	APPROVAL_EXPIRED,
	/**
	 * The user passed another template listed in this one's {@code satisfied-by}; the
	 * inquiry is that template's.
	 */
	SATISFIED_BY_TEMPLATE;

	/**
	 * The rule of the decision table (docs/architecture.md) that gives this reason, named
	 * by the setting it rests on.
	 */
	public String rule() {
		return switch (this) {
			case APPROVED, COMPLETED, PASSED -> "pass-statuses";
			case DECLINED, FAILED, REJECTED -> "deny-statuses";
			case NEEDS_REVIEW, AWAITING_DECISION -> "under review";
			case UNKNOWN_STATUS -> "unknown status";
			case IN_PROGRESS -> "in progress";
			case EXPIRED_RESUMABLE, EXPIRED_TOO_OLD -> "expired-resume-window";
			case NO_INQUIRY -> "no inquiry";
			case ATTEMPTS_EXHAUSTED -> "max-inquiries";
			case ATTEMPT_GRANTED -> "granted attempt";
			case RETRY_ALLOWED -> "retry-after-failed or retry-after-declined";
			case APPROVAL_EXPIRED -> "approval-valid-for";
			case SATISFIED_BY_TEMPLATE -> "satisfied-by";
		};
	}

}
