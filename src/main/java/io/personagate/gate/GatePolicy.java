package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
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
	 * was given (and before it expired). Until then, a DENY becomes START. Once used,
	 * inquiries older than the one that used it no longer count for the decision, only
	 * for the number of attempts: the policy judges the new inquiry.
	 * <p>
	 * An approval older than the policy's validity ends a cycle: it and every inquiry
	 * before it count for nothing, neither the decision nor the attempts. A denial whose
	 * cooldown is over no longer keeps the user out, but still counts as an attempt.
	 * <p>
	 * The verdict also says when time alone will change it: it is judged again at each
	 * moment a rule turns (a cooldown ends, an approval ages, an expired inquiry can no
	 * longer be resumed, a grant expires).
	 */
	public static Verdict decide(List<Inquiry> inquiries, List<Grant> grants, TemplatePolicy policy, Instant now) {
		List<Inquiry> newestFirst = inquiries.stream().sorted(NEWEST_FIRST).toList();
		Verdict verdict = judge(newestFirst, grants, policy, now);
		Instant changesAt = null;
		Instant retryAt = null;
		Instant validUntil = null;
		for (Instant moment : turningPoints(newestFirst, grants, policy, now)) {
			Verdict later = judge(newestFirst, grants, policy, moment);
			if (changesAt == null && !later.sameDecision(verdict)) {
				changesAt = moment;
			}
			if (verdict.decision() == GateDecision.DENY && retryAt == null && later.decision() == GateDecision.START) {
				retryAt = moment;
			}
			if (verdict.decision() == GateDecision.ALLOW && validUntil == null
					&& later.decision() != GateDecision.ALLOW) {
				validUntil = moment;
			}
		}
		int attemptsLeft = (verdict.decision() == GateDecision.DENY && retryAt == null) ? 0 : verdict.attemptsLeft();
		return new Verdict(verdict.decision(), verdict.reason(), verdict.inquiry(), retryAt, validUntil, attemptsLeft,
				changesAt);
	}

	/**
	 * The decision with the templates that satisfy this one ({@code satisfiedBy}), each
	 * already decided by its own policy: when this template does not let the user in and
	 * one of them does, the user is let in, for as long as the last of them does.
	 */
	public static Verdict decide(Verdict own, List<Verdict> satisfiedBy) {
		if (own.decision() == GateDecision.ALLOW) {
			return lastingLonger(own, satisfiedBy);
		}
		Verdict best = null;
		Instant changesAt = own.changesAt();
		for (Verdict other : satisfiedBy) {
			changesAt = earliest(changesAt, other.changesAt());
			if (other.decision() == GateDecision.ALLOW && (best == null || (best.validUntil() != null
					&& (other.validUntil() == null || other.validUntil().isAfter(best.validUntil()))))) {
				best = other;
			}
		}
		if (best == null) {
			return new Verdict(own.decision(), own.reason(), own.inquiry(), own.retryAt(), own.validUntil(),
					own.attemptsLeft(), changesAt);
		}
		return new Verdict(GateDecision.ALLOW, GateReason.SATISFIED_BY_TEMPLATE, best.inquiry(), null,
				best.validUntil(), own.attemptsLeft(), changesAt);
	}

	/**
	 * This template's own ALLOW, lasting as long as the longest pass of a template that
	 * satisfies it: the gate stays open until the last of them ends.
	 */
	private static Verdict lastingLonger(Verdict own, List<Verdict> satisfiedBy) {
		if (own.validUntil() == null) {
			return own;
		}
		Instant validUntil = own.validUntil();
		Instant changesAt = own.changesAt();
		for (Verdict other : satisfiedBy) {
			changesAt = earliest(changesAt, other.changesAt());
			if (other.decision() == GateDecision.ALLOW) {
				if (other.validUntil() == null) {
					validUntil = null;
				}
				else if (validUntil != null && other.validUntil().isAfter(validUntil)) {
					validUntil = other.validUntil();
				}
			}
		}
		return new Verdict(own.decision(), own.reason(), own.inquiry(), own.retryAt(), validUntil, own.attemptsLeft(),
				changesAt);
	}

	private static Instant earliest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isBefore(b)) ? a : b;
	}

	/** The moments after {@code now} at which a rule turns, earliest first. */
	private static TreeSet<Instant> turningPoints(List<Inquiry> newestFirst, List<Grant> grants, TemplatePolicy policy,
			Instant now) {
		TreeSet<Instant> moments = new TreeSet<>();
		for (Inquiry inquiry : newestFirst) {
			if (policy.approvalValidFor() != null && policy.passStatuses().contains(inquiry.status())) {
				moments.add(inquiry.decidedAt().plus(policy.approvalValidFor()));
			}
			Duration cooldown = policy.cooldown(inquiry.status());
			if (cooldown != null) {
				moments.add(inquiry.decidedAt().plus(cooldown));
			}
			if (inquiry.status() == InquiryStatus.EXPIRED && !inquiry.isRedacted()) {
				moments.add(inquiry.expiredAtOrLatest().plus(policy.expiredResumeWindow()));
			}
		}
		for (Grant grant : grants) {
			if (grant.expiresAt() != null) {
				moments.add(grant.expiresAt());
			}
		}
		return new TreeSet<>(moments.tailSet(now, false));
	}

	/** The decision at {@code now}, without the moments it changes at. */
	private static Verdict judge(List<Inquiry> newestFirst, List<Grant> grants, TemplatePolicy policy, Instant now) {
		int cycle = cycleLength(newestFirst, policy, now);
		Inquiry aged = (cycle < newestFirst.size()) ? newestFirst.get(cycle) : null;
		boolean open = false;
		int since = newestFirst.size();
		for (Grant grant : grants) {
			int counted = countedAfter(grant, newestFirst);
			if (counted < 0) {
				open = open || grant.isOpenAt(now);
			}
			else {
				since = Math.min(since, counted);
			}
		}
		Verdict verdict = judgeCycle(newestFirst.subList(0, Math.min(since, cycle)), cycle, aged, policy, now);
		int attemptsLeft = Math.max(0, policy.maxInquiries() - cycle);
		if (open && cycle >= policy.maxInquiries()) {
			attemptsLeft++;
		}
		if (open && verdict.decision() == GateDecision.DENY) {
			return new Verdict(GateDecision.START, GateReason.ATTEMPT_GRANTED, verdict.inquiry(), null, null,
					Math.max(1, attemptsLeft), null);
		}
		return new Verdict(verdict.decision(), verdict.reason(), verdict.inquiry(), null, null, attemptsLeft, null);
	}

	/**
	 * How many of the newest inquiries make up the current cycle: those newer than the
	 * newest pass that aged; all of them when none did.
	 */
	private static int cycleLength(List<Inquiry> newestFirst, TemplatePolicy policy, Instant now) {
		if (policy.approvalValidFor() == null) {
			return newestFirst.size();
		}
		for (int i = 0; i < newestFirst.size(); i++) {
			Inquiry inquiry = newestFirst.get(i);
			if (policy.passStatuses().contains(inquiry.status())
					&& !now.isBefore(inquiry.decidedAt().plus(policy.approvalValidFor()))) {
				return i;
			}
		}
		return newestFirst.size();
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
			if (createdAt != null && !createdAt.isBefore(grant.grantedAt()) && grant.isOpenAt(createdAt)) {
				return i + 1;
			}
		}
		return -1;
	}

	private static Verdict judgeCycle(List<Inquiry> newestFirst, int attempts, Inquiry aged, TemplatePolicy policy,
			Instant now) {

		Optional<Inquiry> pass = newest(newestFirst, (inquiry) -> policy.passStatuses().contains(inquiry.status()));
		if (pass.isPresent() && !hasNewerBlocker(newestFirst, pass.get(), policy)) {
			return new Verdict(GateDecision.ALLOW, passReason(pass.get().status()), pass.get());
		}

		Optional<Inquiry> deny = newest(newestFirst,
				(inquiry) -> policy.denyStatuses().contains(inquiry.status()) && !retryOpen(inquiry, policy, now));
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
			return new Verdict(GateDecision.DENY, GateReason.ATTEMPTS_EXHAUSTED,
					newestFirst.isEmpty() ? aged : newestFirst.get(0));
		}
		// every denial left is one whose cooldown is over
		Optional<Inquiry> lapsed = newest(newestFirst, (inquiry) -> policy.denyStatuses().contains(inquiry.status())
				|| (isUnclassified(inquiry.status(), policy) && (inquiry.status() == InquiryStatus.EXPIRED
						|| inquiry.status() == InquiryStatus.CREATED || inquiry.status() == InquiryStatus.PENDING)));
		if (lapsed.isPresent()) {
			GateReason reason = policy.denyStatuses().contains(lapsed.get().status()) ? GateReason.RETRY_ALLOWED
					: GateReason.EXPIRED_TOO_OLD;
			return new Verdict(GateDecision.START, reason, lapsed.get());
		}
		if (aged != null) {
			return new Verdict(GateDecision.START, GateReason.APPROVAL_EXPIRED, aged);
		}
		return new Verdict(GateDecision.START, GateReason.NO_INQUIRY, null);
	}

	/** Whether a denial's cooldown is over at {@code now}, so a new inquiry may start. */
	private static boolean retryOpen(Inquiry inquiry, TemplatePolicy policy, Instant now) {
		Duration cooldown = policy.cooldown(inquiry.status());
		return cooldown != null && !now.isBefore(inquiry.decidedAt().plus(cooldown));
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
