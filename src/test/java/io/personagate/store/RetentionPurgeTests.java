package io.personagate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import io.personagate.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The purge of the webhook journal and the audit trail, on the real PostgreSQL: rows past
 * their retention (30 days and 400 days by default) deleted in batches (of 2 here), newer
 * rows kept, and never two instances purging at once.
 */
@SpringBootTest(properties = { "gate.retention.batch-size=2", "gate.retention.interval=0" })
class RetentionPurgeTests extends IntegrationTestSupport {

	@Autowired
	private RetentionPurge purge;

	@Test
	void rowsPastTheirRetentionArePurgedInBatchesAndNewerOnesKept() {
		for (int i = 0; i < 5; i++) {
			event("evt_old_" + i, "31 days");
			audit("user-old-" + i, "401 days");
		}
		event("evt_recent", "29 days");
		event("evt_new", "1 second");
		audit("user-recent", "399 days");

		this.purge.purge()
			.as(StepVerifier::create)
			.expectNext(new RetentionPurge.Purged(5, 5))
			.expectComplete()
			.verify(Duration.ofSeconds(30));

		assertThat(database.count("select count(*) from webhook_event where event_id like 'evt_old_%'")).isZero();
		assertThat(database.count("select count(*) from webhook_event")).isEqualTo(2);
		assertThat(database.count("select count(*) from gate_audit where reference_id like 'user-old-%'")).isZero();
		assertThat(database.count("select count(*) from gate_audit")).isEqualTo(1);
		this.purge.purge()
			.as(StepVerifier::create)
			.expectNext(new RetentionPurge.Purged(0, 0))
			.expectComplete()
			.verify(Duration.ofSeconds(30));
	}

	@Test
	void whileAnotherInstancePurgesNothingIsDeleted() throws Exception {
		event("evt_old", "31 days");
		audit("user-old", "401 days");

		try (Connection other = database.connect()) {
			try (PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
				lock.setLong(1, RetentionPurge.LOCK_KEY);
				lock.execute();
			}
			this.purge.purge()
				.as(StepVerifier::create)
				.expectNext(new RetentionPurge.Purged(0, 0))
				.expectComplete()
				.verify(Duration.ofSeconds(30));
			assertThat(database.count("select count(*) from webhook_event")).isEqualTo(1);
			assertThat(database.count("select count(*) from gate_audit")).isEqualTo(1);
			// given up before the connection closes: a closed connection's locks go only
			// once its server process has ended
			try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
				unlock.setLong(1, RetentionPurge.LOCK_KEY);
				unlock.execute();
			}
		}

		this.purge.purge()
			.as(StepVerifier::create)
			.expectNext(new RetentionPurge.Purged(1, 1))
			.expectComplete()
			.verify(Duration.ofSeconds(30));
	}

	@Test
	void runsAtOnceDeleteEachRowOnceAndLeaveNoneBehind() {
		for (int i = 0; i < 40; i++) {
			event("evt_old_" + i, "31 days");
		}

		List<RetentionPurge.Purged> runs = Flux.range(0, 4)
			.flatMap((run) -> this.purge.purge())
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(runs.stream().mapToLong(RetentionPurge.Purged::webhookEvents).sum()).isEqualTo(40);
		assertThat(database.count("select count(*) from webhook_event")).isZero();
	}

	private static void event(String id, String age) {
		database.update("insert into webhook_event (event_id, name, received_at) values (?, 'inquiry.approved', "
				+ "now() - cast(? as interval))", id, age);
	}

	private static void audit(String referenceId, String age) {
		database.update(
				"insert into gate_audit (occurred_at, reference_id, template_id, action) values "
						+ "(now() - cast(? as interval), ?, 'itmpl_GateTest0000000000000001', 'DECISION_CHANGED')",
				age, referenceId);
	}

}
