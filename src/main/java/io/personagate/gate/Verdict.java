package io.personagate.gate;

import java.time.Instant;

import io.personagate.persona.InquiryStatus;

/**
 * The outcome of {@link GatePolicy#decide}.
 *
 * @param decision what the app should do
 * @param reason why
 * @param inquiry the inquiry the decision rests on, or {@code null}
 * @param retryAt when a DENY becomes START by time alone, or {@code null} if it never
 * does
 * @param validUntil when an ALLOW ends by time alone, or {@code null} if it never does
 * @param attemptsLeft how many more inquiries the user may start on the template; 0 when
 * DENY and no retry will open
 * @param changesAt the next moment at which time alone changes this verdict, or
 * {@code null} if none
 */
public record Verdict(GateDecision decision, GateReason reason, Inquiry inquiry, Instant retryAt, Instant validUntil,
		int attemptsLeft, Instant changesAt) {

	public Verdict(GateDecision decision, GateReason reason, Inquiry inquiry) {
		this(decision, reason, inquiry, null, null, 0, null);
	}

	/**
	 * Whether this verdict rests on a status Persona will not change by itself (approved,
	 * declined, failed), so it stays true until a webhook or a new listing says
	 * otherwise.
	 */
	public boolean isFinal() {
		if (this.inquiry == null || (this.decision != GateDecision.ALLOW && this.decision != GateDecision.DENY)) {
			return false;
		}
		InquiryStatus status = this.inquiry.status();
		return status == InquiryStatus.APPROVED || status == InquiryStatus.DECLINED || status == InquiryStatus.FAILED;
	}

	/** The same decision, reason and inquiry: what an audit row records. */
	boolean sameDecision(Verdict other) {
		return this.decision == other.decision && this.reason == other.reason
				&& java.util.Objects.equals(this.inquiry, other.inquiry);
	}

}
