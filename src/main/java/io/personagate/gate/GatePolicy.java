package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.personagate.persona.InquiryStatus;

/**
 * The gate's decision: a pure function of the user's inquiries on a template, the
 * attempts operators granted, the template's policy and the time. The rules, in order,
 * are written out for people in docs/architecture.md.
 */
public final class GatePolicy {

	private static final Comparator<Inquiry> NEWEST_FIRST = Comparator
		.comparing(Inquiry::createdAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
		.thenComparing(Inquiry::id)
		.reversed();

	private GatePolicy() {
	}

	public static Verdict decide(List<Inquiry> inquiries, TemplatePolicy policy, Instant now) {
		return decide(inquiries, List.of(), policy, now);
	}

	/**
	 * The decision, with the attempts operators granted. A grant is used by the inquiry
	 * recorded as created with it or, failing that, by the first inquiry created since it
	 * was given. Until then, a DENY becomes START. Once used, inquiries older than the
	 * one that used it no longer count for the decision, only for the number of attempts:
	 * the policy judges the new inquiry.
	 */
	public static Verdict decide(List<Inquiry> inquiries, List<Grant> grants, TemplatePolicy policy, Instant now) {
		List<Inquiry> newestFirst = inquiries.stream().sorted(NEWEST_FIRST).toList();
		boolean open = false;
		int since = newestFirst.size();
		for (Grant grant : grants) {
			int counted = countedAfter(grant, newestFirst);
			if (counted < 0) {
				open = true;
			}
			else {
				since = Math.min(since, counted);
			}
		}
		Verdict verdict = decide(newestFirst.subList(0, since), newestFirst.size(), policy, now);
		if (open && verdict.decision() == GateDecision.DENY) {
			return new Verdict(GateDecision.START, GateReason.ATTEMPT_GRANTED, verdict.inquiry());
		}
		return verdict;
	}

	/**
	 * How many of the newest inquiries still count once a grant is used: those down to
	 * the one that used it (all of them if it names an inquiry not listed); or -1 while
	 * the grant is unused.
	 */
	private static int countedAfter(Grant grant, List<Inquiry> newestFirst) {
		if (grant.inquiryId() != null) {
			for (int i = 0; i < newestFirst.size(); i++) {
				if (newestFirst.get(i).id().equals(grant.inquiryId())) {
					return i + 1;
				}
			}
			return newestFirst.size();
		}
		for (int i = newestFirst.size() - 1; i >= 0; i--) {
			Instant createdAt = newestFirst.get(i).createdAt();
			if (createdAt != null && !createdAt.isBefore(grant.grantedAt())) {
				return i + 1;
			}
		}
		return -1;
	}

	private static Verdict decide(List<Inquiry> newestFirst, int attempts, TemplatePolicy policy, Instant now) {

		Optional<Inquiry> pass = newest(newestFirst, (inquiry) -> policy.passStatuses().contains(inquiry.status()));
		if (pass.isPresent() && !hasNewerBlocker(newestFirst, pass.get(), policy)) {
			return new Verdict(GateDecision.ALLOW, passReason(pass.get().status()), pass.get());
		}

		Optional<Inquiry> deny = newest(newestFirst, (inquiry) -> policy.denyStatuses().contains(inquiry.status()));
		if (deny.isPresent()) {
			return new Verdict(GateDecision.DENY, denyReason(deny.get().status()), deny.get());
		}

		Optional<Inquiry> undecided = newest(newestFirst, (inquiry) -> awaitsDecision(inquiry.status(), policy));
		if (undecided.isPresent()) {
			return new Verdict(GateDecision.UNDER_REVIEW, reviewReason(undecided.get().status()), undecided.get());
		}

		// a redacted inquiry keeps its status but Persona refuses to resume it
		// (paths./inquiries/{inquiry-id}/resume.post.description): one that was not
		// decided is spent, like one expired too long ago
		Optional<Inquiry> inProgress = newest(newestFirst,
				(inquiry) -> isUnclassified(inquiry.status(), policy) && !inquiry.isRedacted()
						&& (inquiry.status() == InquiryStatus.CREATED || inquiry.status() == InquiryStatus.PENDING));
		if (inProgress.isPresent()) {
			return new Verdict(GateDecision.RESUME, GateReason.IN_PROGRESS, inProgress.get());
		}

		Optional<Inquiry> expired = newest(newestFirst, (inquiry) -> isUnclassified(inquiry.status(), policy)
				&& !inquiry.isRedacted() && inquiry.status() == InquiryStatus.EXPIRED);
		if (expired.isPresent()) {
			Duration sinceExpiry = Duration.between(expired.get().expiredAtOrLatest(), now);
			if (sinceExpiry.compareTo(policy.expiredResumeWindow()) < 0) {
				return new Verdict(GateDecision.RESUME, GateReason.EXPIRED_RESUMABLE, expired.get());
			}
		}

		if (attempts >= policy.maxInquiries()) {
			return new Verdict(GateDecision.DENY, GateReason.ATTEMPTS_EXHAUSTED, newestFirst.get(0));
		}
		Optional<Inquiry> lapsed = newest(newestFirst,
				(inquiry) -> isUnclassified(inquiry.status(), policy) && (inquiry.status() == InquiryStatus.EXPIRED
						|| inquiry.status() == InquiryStatus.CREATED || inquiry.status() == InquiryStatus.PENDING));
		if (lapsed.isPresent()) {
			return new Verdict(GateDecision.START, GateReason.EXPIRED_TOO_OLD, lapsed.get());
		}
		return new Verdict(GateDecision.START, GateReason.NO_INQUIRY, null);
	}

	private static Optional<Inquiry> newest(List<Inquiry> newestFirst, Predicate<Inquiry> matching) {
		return newestFirst.stream().filter(matching).findFirst();
	}

	private static boolean hasNewerBlocker(List<Inquiry> newestFirst, Inquiry pass, TemplatePolicy policy) {
		for (Inquiry inquiry : newestFirst) {
			if (inquiry == pass) {
				return false;
			}
			if (policy.denyStatuses().contains(inquiry.status()) || inquiry.status() == InquiryStatus.UNKNOWN) {
				return true;
			}
		}
		return false;
	}

	private static boolean isUnclassified(InquiryStatus status, TemplatePolicy policy) {
		return !policy.passStatuses().contains(status) && !policy.denyStatuses().contains(status);
	}

	private static boolean awaitsDecision(InquiryStatus status, TemplatePolicy policy) {
		return status == InquiryStatus.UNKNOWN || (isUnclassified(status, policy)
				&& (status == InquiryStatus.NEEDS_REVIEW || status == InquiryStatus.COMPLETED));
	}

	private static GateReason passReason(InquiryStatus status) {
		return switch (status) {
			case APPROVED -> GateReason.APPROVED;
			case COMPLETED -> GateReason.COMPLETED;
			default -> GateReason.PASSED;
		};
	}

	private static GateReason denyReason(InquiryStatus status) {
		return switch (status) {
			case DECLINED -> GateReason.DECLINED;
			case FAILED -> GateReason.FAILED;
			default -> GateReason.REJECTED;
		};
	}

	private static GateReason reviewReason(InquiryStatus status) {
		return switch (status) {
			case NEEDS_REVIEW -> GateReason.NEEDS_REVIEW;
			case UNKNOWN -> GateReason.UNKNOWN_STATUS;
			default -> GateReason.AWAITING_DECISION;
		};
	}

}
