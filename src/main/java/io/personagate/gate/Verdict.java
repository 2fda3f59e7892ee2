package io.personagate.gate;

import io.personagate.persona.InquiryStatus;

/**
 * The outcome of {@link GatePolicy#decide}.
 *
 * @param decision what the app should do
 * @param reason why
 * @param inquiry the inquiry the decision rests on, or {@code null}
 */
public record Verdict(GateDecision decision, GateReason reason, Inquiry inquiry) {

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

}
