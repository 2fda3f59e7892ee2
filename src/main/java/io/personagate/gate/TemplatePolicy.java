package io.personagate.gate;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.personagate.persona.InquiryStatus;

/**
 * The rules one gated template is decided by.
 *
 * @param passStatuses statuses that let the user in
 * @param denyStatuses statuses that keep the user out
 * @param expiredResumeWindow how long after expiring an inquiry may still be resumed
 * @param maxInquiries how many inquiries a user may have on the template in all (in one
 * cycle, when approvals age)
 * @param retryAfterFailed how long after a {@code failed} inquiry was decided a new one
 * may be started, or {@code null}: failed is final
 * @param retryAfterDeclined how long after a {@code declined} inquiry was decided a new
 * one may be started, or {@code null}: declined is final
 * @param approvalValidFor how long after it was decided a pass lets the user in, or
 * {@code null}: for ever
 * @param satisfiedBy the other gated templates whose pass also lets the user in here
 */
public record TemplatePolicy(Set<InquiryStatus> passStatuses, Set<InquiryStatus> denyStatuses,
		Duration expiredResumeWindow, int maxInquiries, Duration retryAfterFailed, Duration retryAfterDeclined,
		Duration approvalValidFor, List<String> satisfiedBy) {

	public static final TemplatePolicy DEFAULT = new TemplatePolicy(
			Set.of(InquiryStatus.APPROVED, InquiryStatus.COMPLETED),
			Set.of(InquiryStatus.DECLINED, InquiryStatus.FAILED), Duration.ofHours(24), 3);

	public TemplatePolicy {
		passStatuses = Set.copyOf(passStatuses);
		denyStatuses = Set.copyOf(denyStatuses);
		satisfiedBy = (satisfiedBy != null) ? List.copyOf(satisfiedBy) : List.of();
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
		if (retryAfterFailed != null && retryAfterFailed.isNegative()) {
			throw new IllegalArgumentException("retry-after-failed must be zero or positive");
		}
		if (retryAfterDeclined != null && retryAfterDeclined.isNegative()) {
			throw new IllegalArgumentException("retry-after-declined must be zero or positive");
		}
		if (approvalValidFor != null && (approvalValidFor.isNegative() || approvalValidFor.isZero())) {
			throw new IllegalArgumentException("approval-valid-for must be positive");
		}
	}

	/** A policy with no cooldowns, approvals valid for ever and no other template. */
	public TemplatePolicy(Set<InquiryStatus> passStatuses, Set<InquiryStatus> denyStatuses,
			Duration expiredResumeWindow, int maxInquiries) {
		this(passStatuses, denyStatuses, expiredResumeWindow, maxInquiries, null, null, null, List.of());
	}

	/**
	 * How long after an inquiry in this status was decided a new one may be started, or
	 * {@code null} if never.
	 */
	Duration cooldown(InquiryStatus status) {
		if (!this.denyStatuses.contains(status)) {
			return null;
		}
		return switch (status) {
			case FAILED -> this.retryAfterFailed;
			case DECLINED -> this.retryAfterDeclined;
			default -> null;
		};
	}

}
