package io.personagate.store;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.persona.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Deletes what is older than its retention ({@link RetentionProperties}): the webhook
 * journal's rows ({@code webhook_event}, by when they were received) and the audit
 * trail's ({@code gate_audit}, by when it happened). Every
 * {@code gate.retention.interval} each instance tries; each batch of
 * {@code gate.retention.batch-size} rows is one statement that first takes a PostgreSQL
 * advisory lock for its transaction ({@value #LOCK_KEY}), or deletes nothing when another
 * instance holds it, so that no two instances ever purge at once. A run goes on while
 * batches come back full.
 */
@Component
public class RetentionPurge implements SmartLifecycle {

	/** The advisory lock every instance's purge takes: "gateRet1" in ASCII. */
	static final long LOCK_KEY = 0x6761746552657431L;

	private static final Logger logger = LoggerFactory.getLogger(RetentionPurge.class);

	private static final String PURGE_EVENTS = """
			with lock as (select pg_try_advisory_xact_lock(:lock) as held)
			delete from webhook_event
			 where event_id in (select e.event_id from webhook_event e, lock
			                     where lock.held and e.received_at < now() - make_interval(secs => :seconds)
			                     order by e.received_at limit :batch)
			""";

	private static final String PURGE_AUDIT = """
			with lock as (select pg_try_advisory_xact_lock(:lock) as held)
			delete from gate_audit
			 where id in (select a.id from gate_audit a, lock
			               where lock.held and a.occurred_at < now() - make_interval(secs => :seconds)
			               order by a.occurred_at limit :batch)
			""";

	private final DatabaseClient db;

	private final RetentionProperties properties;

	private final MeterRegistry meters;

	private volatile Disposable running;

	public RetentionPurge(DatabaseClient db, RetentionProperties properties, MeterRegistry meters) {
		this.db = db;
		this.properties = properties;
		this.meters = meters;
	}

	@Override
	public void start() {
		if (!this.properties.enabled()) {
			logger.info("The purge of old webhook events and audit rows is off (gate.retention.interval is 0)");
			return;
		}
		Duration interval = this.properties.interval();
		this.running = Flux.interval(interval, interval)
			.onBackpressureDrop()
			.concatMap((tick) -> purge().onErrorResume((ex) -> {
				logger.warn("Purge of old webhook events and audit rows failed; the next one tries again: {}",
						LogSafe.of(ex.toString()));
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/**
	 * One run: the rows older than their retention, deleted batch after batch while
	 * batches come back full; nothing while another instance purges.
	 */
	public Mono<Purged> purge() {
		// one table after the other: two batches of one instance at once would meet its
		// own lock
		return purge("webhook_event", PURGE_EVENTS, this.properties.webhookEvents())
			.flatMap((events) -> purge("gate_audit", PURGE_AUDIT, this.properties.audit())
				.map((audit) -> new Purged(events, audit)))
			.doOnNext((purged) -> {
				if (purged.webhookEvents() + purged.audit() > 0) {
					logger.info("Purged {} webhook events older than {} and {} audit rows older than {}",
							purged.webhookEvents(), this.properties.webhookEvents(), purged.audit(),
							this.properties.audit());
				}
			});
	}

	private Mono<Long> purge(String table, String sql, Duration retention) {
		int batch = this.properties.batchSize();
		return batch(sql, retention).expand((deleted) -> (deleted == batch) ? batch(sql, retention) : Mono.empty())
			.reduce(0L, Long::sum)
			.doOnNext((deleted) -> this.meters.counter("gate.retention.purged", "table", table).increment(deleted));
	}

	private Mono<Long> batch(String sql, Duration retention) {
		return this.db.sql(sql)
			.bind("lock", LOCK_KEY)
			.bind("seconds", (double) retention.toSeconds())
			.bind("batch", this.properties.batchSize())
			.fetch()
			.rowsUpdated();
	}

	/**
	 * What one run deleted.
	 *
	 * @param webhookEvents rows of {@code webhook_event}
	 * @param audit rows of {@code gate_audit}
	 */
	public record Purged(long webhookEvents, long audit) {
	}

}
