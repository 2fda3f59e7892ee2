package io.personagate.gate;

import java.time.Duration;
import java.util.Set;

import io.personagate.persona.InquiryStatus;

/**
 * The rules one gated template is decided by.
 *
 * @param passStatuses statuses that let the user in
 * @param denyStatuses statuses that keep the user out
 * @param expiredResumeWindow how long after expiring an inquiry may still be resumed
 * @param maxInquiries how many inquiries a user may have on the template in all
 */
public record TemplatePolicy(Set<InquiryStatus> passStatuses, Set<InquiryStatus> denyStatuses,
		Duration expiredResumeWindow, int maxInquiries) {

	public static final TemplatePolicy DEFAULT = new TemplatePolicy(
			Set.of(InquiryStatus.APPROVED, InquiryStatus.COMPLETED),
			Set.of(InquiryStatus.DECLINED, InquiryStatus.FAILED), Duration.ofHours(24), 3);

	public TemplatePolicy {
		passStatuses = Set.copyOf(passStatuses);
		denyStatuses = Set.copyOf(denyStatuses);
		if (passStatuses.contains(InquiryStatus.UNKNOWN) || denyStatuses.contains(InquiryStatus.UNKNOWN)) {
			throw new IllegalArgumentException("UNKNOWN cannot be a pass or deny status");
		}
		for (InquiryStatus status : passStatuses) {
			if (denyStatuses.contains(status)) {
				throw new IllegalArgumentException("Status " + status.personaName() + " cannot both pass and deny");
			}
		}
		if (expiredResumeWindow == null || expiredResumeWindow.isNegative()) {
			throw new IllegalArgumentException("expired-resume-window must be zero or positive");
		}
		if (maxInquiries < 1) {
			throw new IllegalArgumentException("max-inquiries must be at least 1");
		}
	}

}
