package io.personagate.bench;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The benchmark's users and what each one has: user {@code i} of a population gets
 * profile {@code i % 10}, so every decision the gate can make is represented, in the same
 * proportions at every size. The database seeder, the Persona emulator's seeding and the
 * plumbing test all read this one table.
 */
final class BenchPopulation {

	/**
	 * The users whose answers the benchmark caches: {@code cached-0000000},
	 * {@code cached-0000001}, ...
	 */
	static final String CACHED = "cached-";

	/**
	 * One user's inquiries on the template and the answer the gate must give for them.
	 */
	enum Profile {

		APPROVED_1("approved", 1, "ALLOW", "APPROVED", true), APPROVED_2("approved", 1, "ALLOW", "APPROVED", true),
		APPROVED_3("approved", 1, "ALLOW", "APPROVED", true), COMPLETED("completed", 1, "ALLOW", "COMPLETED", false),
		DECLINED("declined", 1, "DENY", "DECLINED", true), FAILED("failed", 1, "DENY", "FAILED", true),
		NEEDS_REVIEW("needs_review", 1, "UNDER_REVIEW", "NEEDS_REVIEW", false),
		PENDING("pending", 1, "RESUME", "IN_PROGRESS", false),
		EXHAUSTED("expired", 3, "DENY", "ATTEMPTS_EXHAUSTED", false), NONE(null, 0, "START", "NO_INQUIRY", false);

		/**
		 * Every inquiry of a profile was created this long ago, one day apart, the newest
		 * last.
		 */
		static final Duration OLDEST = Duration.ofDays(10);

		final String status;

		final int inquiries;

		final String decision;

		final String reason;

		/**
		 * Whether the answer rests on approved, declined or failed, and so is cached
		 * without a TTL.
		 */
		final boolean decided;

		Profile(String status, int inquiries, String decision, String reason, boolean decided) {
			this.status = status;
			this.inquiries = inquiries;
			this.decision = decision;
			this.reason = reason;
			this.decided = decided;
		}

		static Profile of(long user) {
			return values()[(int) (user % values().length)];
		}

	}

	private BenchPopulation() {
	}

	static String userId(String prefix, long index) {
		return prefix + "%07d".formatted(index);
	}

	/**
	 * The profiles as a SQL {@code values} list: (slot, status, inquiries, decision,
	 * reason).
	 */
	static String profilesAsSql() {
		return List.of(Profile.values())
			.stream()
			.map((profile) -> "(%d, %s, %d, '%s', '%s')".formatted(profile.ordinal(),
					(profile.status != null) ? "'" + profile.status + "'" : "null::text", profile.inquiries,
					profile.decision, profile.reason))
			.collect(Collectors.joining(", "));
	}

}
