package io.personagate.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.personagate.persona.InquiryStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.personagate.persona.InquiryStatus.APPROVED;
import static io.personagate.persona.InquiryStatus.COMPLETED;
import static io.personagate.persona.InquiryStatus.CREATED;
import static io.personagate.persona.InquiryStatus.DECLINED;
import static io.personagate.persona.InquiryStatus.EXPIRED;
import static io.personagate.persona.InquiryStatus.FAILED;
import static io.personagate.persona.InquiryStatus.NEEDS_REVIEW;
import static io.personagate.persona.InquiryStatus.PENDING;
import static io.personagate.persona.InquiryStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The decision table. Each row: the user's inquiries (oldest first, one hour apart, the
 * last one an hour before now unless it says otherwise), then the expected decision,
 * reason and deciding inquiry (its 1-based position in the row, 0 for none).
 */
class GatePolicyTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	static Stream<Arguments> table() {
		return Stream.of(row("no inquiry", List.of(), GateDecision.START, GateReason.NO_INQUIRY, 0),
				row("approved", List.of(APPROVED), GateDecision.ALLOW, GateReason.APPROVED, 1),
				row("completed passes by default", List.of(COMPLETED), GateDecision.ALLOW, GateReason.COMPLETED, 1),
				row("declined", List.of(DECLINED), GateDecision.DENY, GateReason.DECLINED, 1),
				row("failed", List.of(FAILED), GateDecision.DENY, GateReason.FAILED, 1),
				row("needs review", List.of(NEEDS_REVIEW), GateDecision.UNDER_REVIEW, GateReason.NEEDS_REVIEW, 1),
				row("created", List.of(CREATED), GateDecision.RESUME, GateReason.IN_PROGRESS, 1),
				row("pending", List.of(PENDING), GateDecision.RESUME, GateReason.IN_PROGRESS, 1),
				row("approved, then declined later: the newer denial wins", List.of(APPROVED, DECLINED),
						GateDecision.DENY, GateReason.DECLINED, 2),
				row("declined, then approved later", List.of(DECLINED, APPROVED), GateDecision.ALLOW,
						GateReason.APPROVED, 2),
				row("failed, then approved later", List.of(FAILED, APPROVED), GateDecision.ALLOW, GateReason.APPROVED,
						2),
				row("approved, then a pending one: still allowed", List.of(APPROVED, PENDING), GateDecision.ALLOW,
						GateReason.APPROVED, 1),
				row("declined, then a pending one: still denied", List.of(DECLINED, PENDING), GateDecision.DENY,
						GateReason.DECLINED, 1),
				row("needs review beats an older pending", List.of(PENDING, NEEDS_REVIEW), GateDecision.UNDER_REVIEW,
						GateReason.NEEDS_REVIEW, 2),
				row("two pending: resume the newest", List.of(PENDING, CREATED), GateDecision.RESUME,
						GateReason.IN_PROGRESS, 2),
				row("pending beats expired", List.of(PENDING, EXPIRED), GateDecision.RESUME, GateReason.IN_PROGRESS, 1),
				row("unknown status alone blocks as under review", List.of(UNKNOWN), GateDecision.UNDER_REVIEW,
						GateReason.UNKNOWN_STATUS, 1),
				row("unknown status newer than an approval never allows", List.of(APPROVED, UNKNOWN),
						GateDecision.UNDER_REVIEW, GateReason.UNKNOWN_STATUS, 2),
				row("unknown status older than an approval", List.of(UNKNOWN, APPROVED), GateDecision.ALLOW,
						GateReason.APPROVED, 2),
				row("unknown status blocks starting after an old expiry", List.of(EXPIRED, UNKNOWN),
						GateDecision.UNDER_REVIEW, GateReason.UNKNOWN_STATUS, 2),
				row("three expired long ago: attempts exhausted", List.of(EXPIRED, EXPIRED, EXPIRED), GateDecision.DENY,
						GateReason.ATTEMPTS_EXHAUSTED, 3),
				row("two expired long ago: start a third", List.of(EXPIRED, EXPIRED), GateDecision.START,
						GateReason.EXPIRED_TOO_OLD, 2),
				row("three inquiries, newest pending: resume, not exhausted", List.of(EXPIRED, EXPIRED, PENDING),
						GateDecision.RESUME, GateReason.IN_PROGRESS, 3),
				row("redacted pending: never resumed, start another", List.of(redacted(PENDING)), GateDecision.START,
						GateReason.EXPIRED_TOO_OLD, 1),
				row("redacted created: never resumed, start another", List.of(redacted(CREATED)), GateDecision.START,
						GateReason.EXPIRED_TOO_OLD, 1),
				row("redacted expired: never resumed, start another", List.of(redacted(EXPIRED)), GateDecision.START,
						GateReason.EXPIRED_TOO_OLD, 1),
				row("redacted pending counts as an attempt", List.of(EXPIRED, EXPIRED, redacted(PENDING)),
						GateDecision.DENY, GateReason.ATTEMPTS_EXHAUSTED, 3),
				row("an older pending is resumed past a newer redacted one", List.of(PENDING, redacted(PENDING)),
						GateDecision.RESUME, GateReason.IN_PROGRESS, 1),
				row("redacted approved keeps its decision", List.of(redacted(APPROVED)), GateDecision.ALLOW,
						GateReason.APPROVED, 1),
				row("redacted declined keeps its decision", List.of(redacted(DECLINED)), GateDecision.DENY,
						GateReason.DECLINED, 1),
				row("redacted needs review keeps waiting", List.of(redacted(NEEDS_REVIEW)), GateDecision.UNDER_REVIEW,
						GateReason.NEEDS_REVIEW, 1));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void decidesByTheTable(String name, List<Inquiry> inquiries, GateDecision decision, GateReason reason,
			int deciding) {
		Verdict verdict = GatePolicy.decide(inquiries, TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict.decision()).isEqualTo(decision);
		assertThat(verdict.reason()).isEqualTo(reason);
		assertThat(verdict.inquiry()).isEqualTo((deciding == 0) ? null : inquiries.get(deciding - 1));
	}

	/**
	 * Grants: each number is the 1-based position of the inquiry recorded as created with
	 * the grant, or 0 for a grant not used yet, given an hour before now.
	 */
	static Stream<Arguments> grants() {
		return Stream.of(
				grantRow("declined, grant unused: start", List.of(DECLINED), List.of(0), GateDecision.START,
						GateReason.ATTEMPT_GRANTED, 1),
				grantRow("failed, grant unused: start", List.of(FAILED), List.of(0), GateDecision.START,
						GateReason.ATTEMPT_GRANTED, 1),
				grantRow("attempts exhausted, grant unused: start", List.of(EXPIRED, EXPIRED, EXPIRED), List.of(0),
						GateDecision.START, GateReason.ATTEMPT_GRANTED, 3),
				grantRow("approved: a grant changes nothing", List.of(APPROVED), List.of(0), GateDecision.ALLOW,
						GateReason.APPROVED, 1),
				grantRow("under review: a grant changes nothing", List.of(NEEDS_REVIEW), List.of(0),
						GateDecision.UNDER_REVIEW, GateReason.NEEDS_REVIEW, 1),
				grantRow("declined, granted inquiry created: resume it", List.of(DECLINED, CREATED), List.of(2),
						GateDecision.RESUME, GateReason.IN_PROGRESS, 2),
				grantRow("declined, granted inquiry approved: allow", List.of(DECLINED, APPROVED), List.of(2),
						GateDecision.ALLOW, GateReason.APPROVED, 2),
				grantRow("declined, granted inquiry declined too: deny again", List.of(DECLINED, DECLINED), List.of(2),
						GateDecision.DENY, GateReason.DECLINED, 2),
				grantRow("approved then declined, granted inquiry pending: the old approval no longer counts",
						List.of(APPROVED, DECLINED, PENDING), List.of(3), GateDecision.RESUME, GateReason.IN_PROGRESS,
						3),
				grantRow("exhausted, granted inquiry expired long ago: exactly one more, exhausted again",
						List.of(EXPIRED, EXPIRED, EXPIRED, EXPIRED), List.of(4), GateDecision.DENY,
						GateReason.ATTEMPTS_EXHAUSTED, 4),
				grantRow("declined, granted inquiry expired long ago: attempts left, start as usual",
						List.of(DECLINED, EXPIRED), List.of(2), GateDecision.START, GateReason.EXPIRED_TOO_OLD, 2),
				grantRow("declined, granted inquiry declined, a second grant unused: start",
						List.of(DECLINED, DECLINED), List.of(2, 0), GateDecision.START, GateReason.ATTEMPT_GRANTED, 2));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("grants")
	void grantsTurnOneDenyIntoOneNewInquiry(String name, List<Inquiry> inquiries, List<Grant> grants,
			GateDecision decision, GateReason reason, int deciding) {
		Verdict verdict = GatePolicy.decide(inquiries, grants, TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict.decision()).isEqualTo(decision);
		assertThat(verdict.reason()).isEqualTo(reason);
		assertThat(verdict.inquiry()).isEqualTo((deciding == 0) ? null : inquiries.get(deciding - 1));
	}

	@Test
	void grantIsUsedByTheFirstInquiryCreatedAfterItWhenNoneWasRecorded() {
		Inquiry declined = inquiry("inq_1", DECLINED, NOW.minus(Duration.ofDays(3)), null);
		Inquiry created = inquiry("inq_2", CREATED, NOW.minus(Duration.ofHours(1)), null);
		Grant grant = new Grant(NOW.minus(Duration.ofHours(2)), null);

		assertThat(GatePolicy.decide(List.of(declined, created), List.of(grant), TemplatePolicy.DEFAULT, NOW))
			.isEqualTo(new Verdict(GateDecision.RESUME, GateReason.IN_PROGRESS, created));
		assertThat(GatePolicy.decide(List.of(declined), List.of(grant), TemplatePolicy.DEFAULT, NOW))
			.isEqualTo(new Verdict(GateDecision.START, GateReason.ATTEMPT_GRANTED, declined));
	}

	@Test
	void expiredWithinTheWindowIsResumed() {
		Inquiry expired = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(23)));

		Verdict verdict = GatePolicy.decide(List.of(expired), TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict).isEqualTo(new Verdict(GateDecision.RESUME, GateReason.EXPIRED_RESUMABLE, expired));
	}

	@Test
	void expiredBeyondTheWindowStartsANewOne() {
		Inquiry expired = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(25)));

		Verdict verdict = GatePolicy.decide(List.of(expired), TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict).isEqualTo(new Verdict(GateDecision.START, GateReason.EXPIRED_TOO_OLD, expired));
	}

	@Test
	void expiredWithinTheWindowIsResumedEvenWhenAttemptsAreUsedUp() {
		Inquiry first = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(8)));
		Inquiry second = inquiry("inq_2", EXPIRED, NOW.minus(Duration.ofDays(7)), NOW.minus(Duration.ofDays(6)));
		Inquiry third = inquiry("inq_3", EXPIRED, NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofHours(1)));

		Verdict verdict = GatePolicy.decide(List.of(first, second, third), TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict).isEqualTo(new Verdict(GateDecision.RESUME, GateReason.EXPIRED_RESUMABLE, third));
	}

	@Test
	void approvedOnlyPolicyWaitsOnCompleted() {
		TemplatePolicy approvedOnly = new TemplatePolicy(Set.of(APPROVED), Set.of(DECLINED, FAILED),
				Duration.ofHours(24), 3);
		List<Inquiry> inquiries = rows(List.of(COMPLETED));

		Verdict verdict = GatePolicy.decide(inquiries, approvedOnly, NOW);

		assertThat(verdict.decision()).isEqualTo(GateDecision.UNDER_REVIEW);
		assertThat(verdict.reason()).isEqualTo(GateReason.AWAITING_DECISION);
	}

	@Test
	void policyThatForgivesFailuresStartsAgainUntilAttemptsRunOut() {
		TemplatePolicy retryFailures = new TemplatePolicy(Set.of(APPROVED, COMPLETED), Set.of(DECLINED),
				Duration.ofHours(24), 2);

		assertThat(GatePolicy.decide(rows(List.of(FAILED)), retryFailures, NOW).decision())
			.isEqualTo(GateDecision.START);
		assertThat(GatePolicy.decide(rows(List.of(FAILED, FAILED)), retryFailures, NOW).reason())
			.isEqualTo(GateReason.ATTEMPTS_EXHAUSTED);
	}

	@Test
	void maxInquiriesIsPerTemplatePolicy() {
		TemplatePolicy oneShot = new TemplatePolicy(Set.of(APPROVED), Set.of(DECLINED), Duration.ZERO, 1);

		Verdict verdict = GatePolicy.decide(rows(List.of(EXPIRED)), oneShot, NOW);

		assertThat(verdict.decision()).isEqualTo(GateDecision.DENY);
		assertThat(verdict.reason()).isEqualTo(GateReason.ATTEMPTS_EXHAUSTED);
	}

	@Test
	void inputOrderDoesNotMatter() {
		List<Inquiry> inquiries = new ArrayList<>(rows(List.of(APPROVED, DECLINED, PENDING)));
		Verdict forward = GatePolicy.decide(inquiries, TemplatePolicy.DEFAULT, NOW);
		java.util.Collections.reverse(inquiries);

		assertThat(GatePolicy.decide(inquiries, TemplatePolicy.DEFAULT, NOW)).isEqualTo(forward);
	}

	@Test
	void policyRejectsContradictions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TemplatePolicy(Set.of(APPROVED), Set.of(APPROVED), Duration.ZERO, 1))
			.withMessageContaining("approved");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TemplatePolicy(Set.of(UNKNOWN), Set.of(), Duration.ZERO, 1));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TemplatePolicy(Set.of(APPROVED), Set.of(), Duration.ZERO, 0));
	}

	@Test
	void finalVerdictsRestOnDecidedStatuses() {
		assertThat(GatePolicy.decide(rows(List.of(APPROVED)), TemplatePolicy.DEFAULT, NOW).isFinal()).isTrue();
		assertThat(GatePolicy.decide(rows(List.of(DECLINED)), TemplatePolicy.DEFAULT, NOW).isFinal()).isTrue();
		assertThat(GatePolicy.decide(rows(List.of(COMPLETED)), TemplatePolicy.DEFAULT, NOW).isFinal()).isFalse();
		assertThat(GatePolicy.decide(rows(List.of(PENDING)), TemplatePolicy.DEFAULT, NOW).isFinal()).isFalse();
		assertThat(GatePolicy.decide(rows(List.of(EXPIRED, EXPIRED, EXPIRED)), TemplatePolicy.DEFAULT, NOW).isFinal())
			.isFalse();
	}

	@Test
	void aRedactedInquiryThatExpiredWithinTheWindowIsNotResumed() {
		Inquiry expired = new Inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(1)),
				NOW.minus(Duration.ofMinutes(5)), NOW.minus(Duration.ofMinutes(5)));

		Verdict verdict = GatePolicy.decide(List.of(expired), TemplatePolicy.DEFAULT, NOW);

		assertThat(verdict).isEqualTo(new Verdict(GateDecision.START, GateReason.EXPIRED_TOO_OLD, expired));
	}

	private static Arguments row(String name, List<?> statuses, GateDecision decision, GateReason reason,
			int deciding) {
		return arguments(name, rows(statuses), decision, reason, deciding);
	}

	private static Arguments grantRow(String name, List<InquiryStatus> statuses, List<Integer> usedBy,
			GateDecision decision, GateReason reason, int deciding) {
		List<Inquiry> inquiries = rows(statuses);
		List<Grant> grants = usedBy.stream()
			.map((position) -> (position == 0) ? new Grant(NOW.minus(Duration.ofHours(1)), null)
					: new Grant(inquiries.get(position - 1).createdAt().minusSeconds(1),
							inquiries.get(position - 1).id()))
			.toList();
		return arguments(name, inquiries, grants, decision, reason, deciding);
	}

	/** A status whose inquiry was redacted. */
	private static Redacted redacted(InquiryStatus status) {
		return new Redacted(status);
	}

	private record Redacted(InquiryStatus status) {
	}

	/** Statuses, each an {@link InquiryStatus} or a {@link Redacted} one. */
	private static List<Inquiry> rows(List<?> statuses) {
		List<Inquiry> inquiries = new ArrayList<>();
		for (int i = 0; i < statuses.size(); i++) {
			Object entry = statuses.get(i);
			InquiryStatus status = (entry instanceof Redacted redacted) ? redacted.status() : (InquiryStatus) entry;
			Instant created = NOW.minus(Duration.ofDays(30)).plus(Duration.ofHours(i));
			Instant expiredAt = (status == EXPIRED) ? NOW.minus(Duration.ofDays(10)) : null;
			Instant redactedAt = (entry instanceof Redacted) ? NOW.minus(Duration.ofDays(1)) : null;
			inquiries.add(new Inquiry("inq_" + (i + 1), status, created, expiredAt,
					(expiredAt != null) ? expiredAt : created, redactedAt));
		}
		return inquiries;
	}

	private static Inquiry inquiry(String id, InquiryStatus status, Instant createdAt, Instant expiredAt) {
		return new Inquiry(id, status, createdAt, expiredAt, (expiredAt != null) ? expiredAt : createdAt, null);
	}

}
