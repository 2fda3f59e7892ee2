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

		assertThat(core(GatePolicy.decide(List.of(declined, created), List.of(grant), TemplatePolicy.DEFAULT, NOW)))
			.isEqualTo(new Verdict(GateDecision.RESUME, GateReason.IN_PROGRESS, created));
		assertThat(core(GatePolicy.decide(List.of(declined), List.of(grant), TemplatePolicy.DEFAULT, NOW)))
			.isEqualTo(new Verdict(GateDecision.START, GateReason.ATTEMPT_GRANTED, declined));
	}

	@Test
	void expiredWithinTheWindowIsResumed() {
		Inquiry expired = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(23)));

		Verdict verdict = GatePolicy.decide(List.of(expired), TemplatePolicy.DEFAULT, NOW);

		assertThat(core(verdict)).isEqualTo(new Verdict(GateDecision.RESUME, GateReason.EXPIRED_RESUMABLE, expired));
	}

	@Test
	void expiredBeyondTheWindowStartsANewOne() {
		Inquiry expired = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofHours(25)));

		Verdict verdict = GatePolicy.decide(List.of(expired), TemplatePolicy.DEFAULT, NOW);

		assertThat(core(verdict)).isEqualTo(new Verdict(GateDecision.START, GateReason.EXPIRED_TOO_OLD, expired));
	}

	@Test
	void expiredWithinTheWindowIsResumedEvenWhenAttemptsAreUsedUp() {
		Inquiry first = inquiry("inq_1", EXPIRED, NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(8)));
		Inquiry second = inquiry("inq_2", EXPIRED, NOW.minus(Duration.ofDays(7)), NOW.minus(Duration.ofDays(6)));
		Inquiry third = inquiry("inq_3", EXPIRED, NOW.minus(Duration.ofDays(1)), NOW.minus(Duration.ofHours(1)));

		Verdict verdict = GatePolicy.decide(List.of(first, second, third), TemplatePolicy.DEFAULT, NOW);

		assertThat(core(verdict)).isEqualTo(new Verdict(GateDecision.RESUME, GateReason.EXPIRED_RESUMABLE, third));
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

		assertThat(core(verdict)).isEqualTo(new Verdict(GateDecision.START, GateReason.EXPIRED_TOO_OLD, expired));
	}

	private static final Duration DAY = Duration.ofDays(1);

	private static final TemplatePolicy RETRY_FAILED = policy(DAY, null, null, 3);

	private static final TemplatePolicy RETRY_DECLINED = policy(null, Duration.ofDays(2), null, 3);

	private static final TemplatePolicy YEARLY = policy(null, null, Duration.ofDays(365), 3);

	private static final TemplatePolicy YEARLY_RETRY_FAILED = policy(DAY, null, Duration.ofDays(365), 3);

	/**
	 * Rules that time turns. Each inquiry is given by its status and how long before now
	 * it was decided (created an hour before that); grants by how long before now they
	 * were given and when they expire. Then the expected decision, reason, deciding
	 * inquiry, retryAt and validUntil (as durations from now, null for never) and
	 * attemptsLeft.
	 */
	static Stream<Arguments> timeRules() {
		return Stream.of(
				timed("failed within the cooldown: denied until it ends", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(2))), List.of(), GateDecision.DENY, GateReason.FAILED,
						1, Duration.ofHours(22), null, 2),
				timed("failed a second before the cooldown ends: still denied", RETRY_FAILED,
						List.of(decided(FAILED, DAY.minusSeconds(1))), List.of(), GateDecision.DENY, GateReason.FAILED,
						1, Duration.ofSeconds(1), null, 2),
				timed("failed exactly at the cooldown: a new inquiry may start", RETRY_FAILED,
						List.of(decided(FAILED, DAY)), List.of(), GateDecision.START, GateReason.RETRY_ALLOWED, 1, null,
						null, 2),
				timed("failed, cooldown over, the new inquiry pending: resume it", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(30)), decided(PENDING, Duration.ofHours(1))),
						List.of(), GateDecision.RESUME, GateReason.IN_PROGRESS, 2, null, null, 1),
				timed("failed, cooldown over, the new inquiry failed too: a second cooldown", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(30)), decided(FAILED, Duration.ofHours(4))), List.of(),
						GateDecision.DENY, GateReason.FAILED, 2, Duration.ofHours(20), null, 1),
				timed("three failed, cooldowns over: attempts exhausted, no retry", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(80)), decided(FAILED, Duration.ofHours(50)),
								decided(FAILED, Duration.ofHours(30))),
						List.of(), GateDecision.DENY, GateReason.ATTEMPTS_EXHAUSTED, 3, null, null, 0),
				timed("the last attempt failed within the cooldown: denied, never a retry", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(80)), decided(FAILED, Duration.ofHours(50)),
								decided(FAILED, Duration.ofHours(2))),
						List.of(), GateDecision.DENY, GateReason.FAILED, 3, null, null, 0),
				timed("declined stays final when only failures are retried", RETRY_FAILED,
						List.of(decided(DECLINED, Duration.ofHours(30))), List.of(), GateDecision.DENY,
						GateReason.DECLINED, 1, null, null, 0),
				timed("an older decline stays final after a failure's cooldown", RETRY_FAILED,
						List.of(decided(DECLINED, Duration.ofHours(50)), decided(FAILED, Duration.ofHours(30))),
						List.of(), GateDecision.DENY, GateReason.DECLINED, 1, null, null, 0),
				timed("declined with retry-after-declined: denied until its cooldown ends", RETRY_DECLINED,
						List.of(decided(DECLINED, Duration.ofHours(30))), List.of(), GateDecision.DENY,
						GateReason.DECLINED, 1, Duration.ofHours(18), null, 2),
				timed("declined with retry-after-declined, cooldown over", RETRY_DECLINED,
						List.of(decided(DECLINED, Duration.ofHours(48))), List.of(), GateDecision.START,
						GateReason.RETRY_ALLOWED, 1, null, null, 2),
				timed("retry-after-declined leaves failed final", RETRY_DECLINED,
						List.of(decided(FAILED, Duration.ofHours(50))), List.of(), GateDecision.DENY, GateReason.FAILED,
						1, null, null, 0),
				timed("by default failed stays final however long ago", TemplatePolicy.DEFAULT,
						List.of(decided(FAILED, Duration.ofDays(400))), List.of(), GateDecision.DENY, GateReason.FAILED,
						1, null, null, 0),
				timed("approved within its validity: allowed until it ages", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(10))), List.of(), GateDecision.ALLOW,
						GateReason.APPROVED, 1, null, Duration.ofDays(355), 2),
				timed("approved exactly as long ago as it is valid: start again", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(365))), List.of(), GateDecision.START,
						GateReason.APPROVAL_EXPIRED, 1, null, null, 3),
				timed("approved a second less than it is valid: still allowed", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(365).minusSeconds(1))), List.of(), GateDecision.ALLOW,
						GateReason.APPROVED, 1, null, Duration.ofSeconds(1), 2),
				timed("earlier cycles' attempts do not count once the approval aged", YEARLY,
						List.of(decided(EXPIRED, Duration.ofDays(402)), decided(DECLINED, Duration.ofDays(401)),
								decided(APPROVED, Duration.ofDays(400))),
						List.of(), GateDecision.START, GateReason.APPROVAL_EXPIRED, 3, null, null, 3),
				timed("an approval aging while an inquiry is pending: resume the pending one", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(400)), decided(PENDING, Duration.ofHours(1))),
						List.of(), GateDecision.RESUME, GateReason.IN_PROGRESS, 2, null, null, 2),
				timed("a valid approval and a pending re-verification: allowed until the approval ages", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(360)), decided(PENDING, Duration.ofHours(1))),
						List.of(), GateDecision.ALLOW, GateReason.APPROVED, 1, null, Duration.ofDays(5), 1),
				timed("an aged approval, then a new approval: allowed by the new one", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(400)), decided(APPROVED, Duration.ofDays(10))),
						List.of(), GateDecision.ALLOW, GateReason.APPROVED, 2, null, Duration.ofDays(355), 2),
				timed("an aged approval, then a re-verification that failed: its cooldown", YEARLY_RETRY_FAILED,
						List.of(decided(APPROVED, Duration.ofDays(400)), decided(FAILED, Duration.ofHours(2))),
						List.of(), GateDecision.DENY, GateReason.FAILED, 2, Duration.ofHours(22), null, 2),
				timed("an aged approval, then a re-verification declined: final", YEARLY,
						List.of(decided(APPROVED, Duration.ofDays(400)), decided(DECLINED, Duration.ofHours(2))),
						List.of(), GateDecision.DENY, GateReason.DECLINED, 2, null, null, 0),
				timed("completed counts as a pass and ages too", YEARLY,
						List.of(decided(COMPLETED, Duration.ofDays(366))), List.of(), GateDecision.START,
						GateReason.APPROVAL_EXPIRED, 1, null, null, 3),
				timed("by default an approval is valid for ever", TemplatePolicy.DEFAULT,
						List.of(decided(APPROVED, Duration.ofDays(4000))), List.of(), GateDecision.ALLOW,
						GateReason.APPROVED, 1, null, null, 2),
				timed("a grant and a cooldown together: the grant opens at once", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(2))), List.of(granted(Duration.ofHours(1), null)),
						GateDecision.START, GateReason.ATTEMPT_GRANTED, 1, null, null, 2),
				timed("a grant that expired unused: the cooldown decides again", RETRY_FAILED,
						List.of(decided(FAILED, Duration.ofHours(2))),
						List.of(granted(Duration.ofHours(1), Duration.ofMinutes(-1))), GateDecision.DENY,
						GateReason.FAILED, 1, Duration.ofHours(22), null, 2),
				timed("a grant not yet expired on a final denial: start", TemplatePolicy.DEFAULT,
						List.of(decided(DECLINED, Duration.ofHours(2))),
						List.of(granted(Duration.ofHours(1), Duration.ofHours(1))), GateDecision.START,
						GateReason.ATTEMPT_GRANTED, 1, null, null, 2),
				timed("a grant that expired unused on a final denial: denied for good", TemplatePolicy.DEFAULT,
						List.of(decided(DECLINED, Duration.ofHours(2))),
						List.of(granted(Duration.ofHours(1), Duration.ofMinutes(-1))), GateDecision.DENY,
						GateReason.DECLINED, 1, null, null, 0),
				timed("exhausted with a grant unused: one attempt left", TemplatePolicy.DEFAULT,
						List.of(decided(EXPIRED, Duration.ofDays(30)), decided(EXPIRED, Duration.ofDays(20)),
								decided(EXPIRED, Duration.ofDays(10))),
						List.of(granted(Duration.ofHours(1), null)), GateDecision.START, GateReason.ATTEMPT_GRANTED, 3,
						null, null, 1));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("timeRules")
	void timeTurnsTheRules(String name, TemplatePolicy policy, List<Inquiry> inquiries, List<Grant> grants,
			GateDecision decision, GateReason reason, int deciding, Duration retryIn, Duration validFor,
			int attemptsLeft) {
		Verdict verdict = GatePolicy.decide(inquiries, grants, policy, NOW);

		assertThat(verdict.decision()).isEqualTo(decision);
		assertThat(verdict.reason()).isEqualTo(reason);
		assertThat(verdict.inquiry()).isEqualTo((deciding == 0) ? null : inquiries.get(deciding - 1));
		assertThat(verdict.retryAt()).isEqualTo((retryIn != null) ? NOW.plus(retryIn) : null);
		assertThat(verdict.validUntil()).isEqualTo((validFor != null) ? NOW.plus(validFor) : null);
		assertThat(verdict.attemptsLeft()).isEqualTo(attemptsLeft);
		Instant turn = (retryIn != null) ? NOW.plus(retryIn) : (validFor != null) ? NOW.plus(validFor) : null;
		if (turn != null) {
			assertThat(verdict.changesAt()).isEqualTo(turn);
			Verdict then = GatePolicy.decide(inquiries, grants, policy, turn);
			assertThat(then.decision()).isEqualTo((retryIn != null) ? GateDecision.START : then.decision())
				.isNotEqualTo(decision);
		}
	}

	/**
	 * Satisfied-by: this template's inquiries and the other template's, each judged by
	 * its own policy; then the expected decision, reason, deciding inquiry id and
	 * validUntil from now.
	 */
	static Stream<Arguments> satisfiedBy() {
		return Stream.of(
				satisfied("passed the other template: allowed here without an inquiry", List.of(),
						List.of(decided(APPROVED, Duration.ofDays(10))), GateDecision.ALLOW,
						GateReason.SATISFIED_BY_TEMPLATE, "other_1", Duration.ofDays(355)),
				satisfied("passed the other template, denied here: allowed", List.of(decided(DECLINED, DAY)),
						List.of(decided(APPROVED, Duration.ofDays(10))), GateDecision.ALLOW,
						GateReason.SATISFIED_BY_TEMPLATE, "other_1", Duration.ofDays(355)),
				satisfied("the other template exhausted: this template decides", List.of(),
						List.of(decided(EXPIRED, Duration.ofDays(30)), decided(EXPIRED, Duration.ofDays(20)),
								decided(EXPIRED, Duration.ofDays(10))),
						GateDecision.START, GateReason.NO_INQUIRY, null, null),
				satisfied("the other template's approval aged by its own policy: this template decides",
						List.of(decided(PENDING, Duration.ofHours(1))),
						List.of(decided(APPROVED, Duration.ofDays(400))), GateDecision.RESUME, GateReason.IN_PROGRESS,
						"this_1", null),
				satisfied("passed both: this template's own approval", List.of(decided(APPROVED, DAY)),
						List.of(decided(APPROVED, Duration.ofDays(10))), GateDecision.ALLOW, GateReason.APPROVED,
						"this_1", null),
				satisfied("the other template under review: this template decides", List.of(),
						List.of(decided(NEEDS_REVIEW, DAY)), GateDecision.START, GateReason.NO_INQUIRY, null, null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("satisfiedBy")
	void anotherTemplatesPassLetsTheUserIn(String name, List<Inquiry> own, List<Inquiry> other, GateDecision decision,
			GateReason reason, String inquiryId, Duration validFor) {
		Verdict verdict = GatePolicy.decide(GatePolicy.decide(own, TemplatePolicy.DEFAULT, NOW),
				List.of(GatePolicy.decide(other, YEARLY, NOW)));

		assertThat(verdict.decision()).isEqualTo(decision);
		assertThat(verdict.reason()).isEqualTo(reason);
		assertThat((verdict.inquiry() != null) ? verdict.inquiry().id() : null).isEqualTo(inquiryId);
		assertThat(verdict.validUntil()).isEqualTo((validFor != null) ? NOW.plus(validFor) : null);
	}

	@Test
	void anOwnApprovalThatAgesLastsAsLongAsASatisfyingTemplatesPass() {
		Verdict ownYearly = GatePolicy.decide(List.of(decided(APPROVED, Duration.ofDays(10)).as("a_1", 1)), YEARLY,
				NOW);
		Verdict otherForEver = GatePolicy.decide(List.of(decided(APPROVED, Duration.ofDays(10)).as("b_1", 1)),
				TemplatePolicy.DEFAULT, NOW);
		Verdict otherLater = GatePolicy.decide(List.of(decided(APPROVED, Duration.ofDays(5)).as("c_1", 1)), YEARLY,
				NOW);

		assertThat(ownYearly.validUntil()).isEqualTo(NOW.plus(Duration.ofDays(355)));
		Verdict forEver = GatePolicy.decide(ownYearly, List.of(otherForEver));
		assertThat(forEver.decision()).isEqualTo(GateDecision.ALLOW);
		assertThat(forEver.reason()).isEqualTo(GateReason.APPROVED);
		assertThat(forEver.validUntil()).isNull();
		assertThat(GatePolicy.decide(ownYearly, List.of(otherLater)).validUntil())
			.isEqualTo(NOW.plus(Duration.ofDays(360)));
	}

	@Test
	void theLongestOfTwoPassesThroughOtherTemplatesCounts() {
		Verdict yearly = GatePolicy.decide(List.of(decided(APPROVED, Duration.ofDays(10)).as("a_1", 1)), YEARLY, NOW);
		Verdict forEver = GatePolicy.decide(List.of(decided(APPROVED, Duration.ofDays(10)).as("b_1", 1)),
				TemplatePolicy.DEFAULT, NOW);
		Verdict none = GatePolicy.decide(List.of(), TemplatePolicy.DEFAULT, NOW);

		assertThat(GatePolicy.decide(none, List.of(yearly, forEver)).validUntil()).isNull();
		assertThat(GatePolicy.decide(none, List.of(yearly, forEver)).inquiry().id()).isEqualTo("b_1");
		assertThat(GatePolicy.decide(none, List.of(yearly)).changesAt()).isEqualTo(NOW.plus(Duration.ofDays(355)));
	}

	@Test
	void decidedAtFallsBackFromDecisionedToCompletedToFailedToUpdated() {
		Instant updated = NOW.minus(Duration.ofHours(1));
		Inquiry bare = new Inquiry("inq_1", FAILED, NOW.minus(DAY), null, updated, null);
		Inquiry failed = new Inquiry("inq_1", FAILED, NOW.minus(DAY), null, updated, null, null, null,
				NOW.minus(Duration.ofHours(5)));
		Inquiry completed = new Inquiry("inq_1", APPROVED, NOW.minus(DAY), null, updated, null, null,
				NOW.minus(Duration.ofHours(6)), null);
		Inquiry decisioned = new Inquiry("inq_1", APPROVED, NOW.minus(DAY), null, updated, null,
				NOW.minus(Duration.ofHours(4)), NOW.minus(Duration.ofHours(6)), null);

		assertThat(bare.decidedAt()).isEqualTo(updated);
		assertThat(failed.decidedAt()).isEqualTo(NOW.minus(Duration.ofHours(5)));
		assertThat(completed.decidedAt()).isEqualTo(NOW.minus(Duration.ofHours(6)));
		assertThat(decisioned.decidedAt()).isEqualTo(NOW.minus(Duration.ofHours(4)));
	}

	@Test
	void policyRefusesNegativeCooldownsAndAZeroValidity() {
		assertThatIllegalArgumentException().isThrownBy(() -> policy(Duration.ofSeconds(-1), null, null, 3))
			.withMessageContaining("retry-after-failed");
		assertThatIllegalArgumentException().isThrownBy(() -> policy(null, Duration.ofSeconds(-1), null, 3))
			.withMessageContaining("retry-after-declined");
		assertThatIllegalArgumentException().isThrownBy(() -> policy(null, null, Duration.ZERO, 3))
			.withMessageContaining("approval-valid-for");
	}

	private static TemplatePolicy policy(Duration retryAfterFailed, Duration retryAfterDeclined,
			Duration approvalValidFor, int maxInquiries) {
		return new TemplatePolicy(Set.of(APPROVED, COMPLETED), Set.of(DECLINED, FAILED), Duration.ofHours(24),
				maxInquiries, retryAfterFailed, retryAfterDeclined, approvalValidFor, List.of());
	}

	/** An inquiry decided {@code ago} before now, created an hour before that. */
	private static Decided decided(InquiryStatus status, Duration ago) {
		return new Decided(status, ago);
	}

	private record Decided(InquiryStatus status, Duration ago) {

		Inquiry as(String id, int position) {
			Instant decidedAt = NOW.minus(this.ago);
			Instant createdAt = decidedAt.minus(Duration.ofHours(1));
			boolean decisioned = this.status == APPROVED || this.status == DECLINED || this.status == NEEDS_REVIEW;
			boolean completed = decisioned || this.status == COMPLETED;
			return new Inquiry(id, this.status, createdAt, (this.status == EXPIRED) ? decidedAt : null,
					decidedAt.plusSeconds(30), null,
					(this.status == APPROVED || this.status == DECLINED) ? decidedAt : null,
					completed ? decidedAt.minusSeconds(60).plusSeconds((this.status == COMPLETED) ? 60 : 0) : null,
					(this.status == FAILED) ? decidedAt : null);
		}

	}

	private record Given(Duration ago, Duration expiresIn) {
	}

	private static Given granted(Duration ago, Duration expiresIn) {
		return new Given(ago, expiresIn);
	}

	private static List<Inquiry> inquiries(String prefix, List<Decided> decided) {
		List<Inquiry> inquiries = new ArrayList<>();
		for (int i = 0; i < decided.size(); i++) {
			inquiries.add(decided.get(i).as(prefix + (i + 1), i + 1));
		}
		return inquiries;
	}

	private static Arguments timed(String name, TemplatePolicy policy, List<Decided> decided, List<Given> given,
			GateDecision decision, GateReason reason, int deciding, Duration retryIn, Duration validFor,
			int attemptsLeft) {
		List<Grant> grants = given.stream()
			.map((grant) -> new Grant(NOW.minus(grant.ago()), null,
					(grant.expiresIn() != null) ? NOW.plus(grant.expiresIn()) : null))
			.toList();
		return arguments(name, policy, inquiries("inq_", decided), grants, decision, reason, deciding, retryIn,
				validFor, attemptsLeft);
	}

	private static Arguments satisfied(String name, List<Decided> own, List<Decided> other, GateDecision decision,
			GateReason reason, String inquiryId, Duration validFor) {
		return arguments(name, inquiries("this_", own), inquiries("other_", other), decision, reason, inquiryId,
				validFor);
	}

	private static Verdict core(Verdict verdict) {
		return new Verdict(verdict.decision(), verdict.reason(), verdict.inquiry());
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
