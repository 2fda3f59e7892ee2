package io.personagate.store;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * A lease in PostgreSQL that lets one caller at a time, across all instances, run the
 * get-or-create of an inquiry for a user and template. Taking it is one statement;
 * callers that find it taken wait without a connection and try again with back-off. A
 * lease left by a crashed instance runs out after {@code gate.lock.lease}.
 */
@Component
public class InquiryClaims {

	private static final Logger logger = LoggerFactory.getLogger(InquiryClaims.class);

	private static final String ACQUIRE = """
			insert into inquiry_claim (reference_id, template_id, owner, expires_at)
			values (:ref, :template, :owner, now() + make_interval(secs => :leaseSeconds))
			on conflict (reference_id, template_id) do update
			   set owner = excluded.owner, expires_at = excluded.expires_at
			 where inquiry_claim.expires_at < now()
			returning owner
			""";

	private static final String RELEASE = """
			delete from inquiry_claim where reference_id = :ref and template_id = :template and owner = :owner
			""";

	private final DatabaseClient db;

	private final Duration lease;

	private final Duration waitTimeout;

	public InquiryClaims(DatabaseClient db, ClaimSettings settings) {
		this.db = db;
		this.lease = settings.lease();
		this.waitTimeout = settings.waitTimeout();
	}

	/**
	 * Runs {@code work} while holding the claim for this user and template, releasing it
	 * afterwards whatever the outcome.
	 */
	public <T> Mono<T> withClaim(String referenceId, String templateId, Supplier<Mono<T>> work) {
		return Mono.usingWhen(acquire(referenceId, templateId), (owner) -> work.get(),
				(owner) -> release(referenceId, templateId, owner),
				(owner, error) -> release(referenceId, templateId, owner),
				(owner) -> release(referenceId, templateId, owner));
	}

	private Mono<UUID> acquire(String referenceId, String templateId) {
		UUID owner = UUID.randomUUID();
		Mono<UUID> attempt = this.db.sql(ACQUIRE)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("owner", owner)
			.bind("leaseSeconds", (double) this.lease.toMillis() / 1000)
			.map((row, meta) -> row.get("owner", UUID.class))
			.one()
			.switchIfEmpty(Mono.error(ClaimTaken::new));
		return attempt
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(10))
				.maxBackoff(Duration.ofMillis(200))
				.jitter(0.5)
				.filter(ClaimTaken.class::isInstance))
			.timeout(this.waitTimeout)
			.onErrorResume(TimeoutException.class, (ex) -> release(referenceId, templateId, owner)
				.then(Mono.error(new ClaimTimeoutException(this.waitTimeout))));
	}

	private Mono<Void> release(String referenceId, String templateId, UUID owner) {
		return this.db.sql(RELEASE)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("owner", owner)
			.fetch()
			.rowsUpdated()
			.doOnError((ex) -> logger.warn("Could not release inquiry claim; it expires by itself", ex))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	/**
	 * How long a claim lasts and how long a caller waits for one.
	 *
	 * @param lease how long a claim holds if its owner never releases it
	 * @param waitTimeout how long a caller waits for a claim before giving up
	 */
	public record ClaimSettings(Duration lease, Duration waitTimeout) {
	}

	private static final class ClaimTaken extends RuntimeException {

		ClaimTaken() {
			super(null, null, false, false);
		}

	}

}
