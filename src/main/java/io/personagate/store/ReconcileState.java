package io.personagate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * Where reconciliation stands in Persona's event list, in {@code reconcile_state}, and
 * the lease that lets one instance at a time run it. A lease left by a crashed instance
 * runs out by itself.
 */
@Repository
public class ReconcileState {

	private static final String ACQUIRE = """
			insert into reconcile_state (id, owner, lease_until)
			values (1, :owner, now() + make_interval(secs => :leaseSeconds))
			on conflict (id) do update set owner = excluded.owner, lease_until = excluded.lease_until
			 where reconcile_state.lease_until is null or reconcile_state.lease_until < now()
			returning cursor_at, resume_after, resume_until, resume_top
			""";

	private static final String FINISH = """
			update reconcile_state
			   set cursor_at = greatest(cursor_at, :cursorAt), resume_after = null, resume_until = null,
			       resume_top = null, owner = null, lease_until = null, finished_at = now()
			 where id = 1 and owner = :owner
			""";

	private static final String SUSPEND = """
			update reconcile_state
			   set resume_after = :after, resume_until = :until, resume_top = :top, owner = null,
			       lease_until = null, finished_at = now()
			 where id = 1 and owner = :owner
			""";

	private static final String RELEASE = """
			update reconcile_state set owner = null, lease_until = null where id = 1 and owner = :owner
			""";

	private final DatabaseClient db;

	public ReconcileState(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Takes the lease for {@code lease} and returns where reconciliation stands, or
	 * nothing if another instance holds it.
	 */
	public Mono<Position> acquire(UUID owner, Duration lease) {
		return this.db.sql(ACQUIRE)
			.bind("owner", owner)
			.bind("leaseSeconds", (double) lease.toMillis() / 1000)
			.map((row, meta) -> new Position(row.get("cursor_at", Instant.class), row.get("resume_after", String.class),
					row.get("resume_until", Instant.class), row.get("resume_top", Instant.class)))
			.one();
	}

	/**
	 * Every event down to the last position was read: the cursor moves to
	 * {@code cursorAt} (never back), and the lease is given up.
	 */
	public Mono<Void> finish(UUID owner, Instant cursorAt) {
		return instant(this.db.sql(FINISH).bind("owner", owner), "cursorAt", cursorAt).then();
	}

	/**
	 * The sweep stopped after event {@code after} before reaching {@code until}: the next
	 * run continues there, then moves the cursor to {@code top}.
	 */
	public Mono<Void> suspend(UUID owner, String after, Instant until, Instant top) {
		GenericExecuteSpec spec = this.db.sql(SUSPEND).bind("owner", owner).bind("after", after);
		return instant(instant(spec, "until", until), "top", top).then();
	}

	/** Gives up the lease without moving the cursor. */
	public Mono<Void> release(UUID owner) {
		return this.db.sql(RELEASE).bind("owner", owner).then();
	}

	private static GenericExecuteSpec instant(GenericExecuteSpec spec, String name, Instant value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, Instant.class);
	}

	/**
	 * Where reconciliation stands.
	 *
	 * @param cursorAt every event created before this (less an overlap) was read; or
	 * {@code null} before the first run
	 * @param resumeAfter the event after which an unfinished sweep continues, or
	 * {@code null}
	 * @param resumeUntil how far back that sweep goes
	 * @param resumeTop the cursor once that sweep is done
	 */
	public record Position(Instant cursorAt, String resumeAfter, Instant resumeUntil, Instant resumeTop) {
	}

}
