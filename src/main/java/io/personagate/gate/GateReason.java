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
	SATISFIED_BY_TEMPLATE

}
