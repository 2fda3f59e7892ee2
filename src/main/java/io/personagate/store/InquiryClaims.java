package io.personagate.store;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

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
 * lease left by a crashed instance runs out after {@code gate.lock.lease}. The claim also
 * keeps the {@code Idempotency-Key} of a create whose answer never arrived, for whoever
 * holds the claim next.
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
			returning owner, create_key, cast(extract(epoch from now() - create_key_at) * 1000 as bigint) as key_age_ms
			""";

	// a claim that keeps a create key is expired rather than deleted, so the key outlives
	// it
	private static final String RELEASE = """
			with kept as (
			    update inquiry_claim set expires_at = '-infinity'
			     where reference_id = :ref and template_id = :template and owner = :owner and create_key is not null
			)
			delete from inquiry_claim
			 where reference_id = :ref and template_id = :template and owner = :owner and create_key is null
			""";

	private static final String RECORD_KEY = """
			update inquiry_claim set create_key = :key, create_key_at = now()
			 where reference_id = :ref and template_id = :template and owner = :owner
			""";

	private static final String CLEAR_KEY = """
			update inquiry_claim set create_key = null, create_key_at = null
			 where reference_id = :ref and template_id = :template and owner = :owner
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
	public <T> Mono<T> withClaim(String referenceId, String templateId, Function<Claim, Mono<T>> work) {
		return Mono.usingWhen(acquire(referenceId, templateId), work,
				(claim) -> release(referenceId, templateId, claim.owner()),
				(claim, error) -> release(referenceId, templateId, claim.owner()),
				(claim) -> release(referenceId, templateId, claim.owner()));
	}

	/**
	 * Keeps {@code key} as the key of the create about to be sent under {@code claim}.
	 * Fails, so that nothing is sent, if the claim was lost meanwhile (its lease ran out
	 * and another caller took it).
	 */
	public Mono<Void> recordCreateKey(Claim claim, String key) {
		return this.db.sql(RECORD_KEY)
			.bind("ref", claim.referenceId())
			.bind("template", claim.templateId())
			.bind("owner", claim.owner())
			.bind("key", key)
			.fetch()
			.rowsUpdated()
			.flatMap((updated) -> (updated == 1) ? Mono.<Void>empty()
					: Mono.error(new ClaimTimeoutException("This request's claim on the user and template ran out "
							+ "before Persona was asked to create the inquiry; nothing was created. Retry shortly")));
	}

	/**
	 * Forgets the create key kept under {@code claim}: an answer to it came back, or it
	 * is of no more use.
	 */
	public Mono<Void> clearCreateKey(Claim claim) {
		return this.db.sql(CLEAR_KEY)
			.bind("ref", claim.referenceId())
			.bind("template", claim.templateId())
			.bind("owner", claim.owner())
			.fetch()
			.rowsUpdated()
			.then();
	}

	private Mono<Claim> acquire(String referenceId, String templateId) {
		UUID owner = UUID.randomUUID();
		Mono<Claim> attempt = this.db.sql(ACQUIRE)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("owner", owner)
			.bind("leaseSeconds", (double) this.lease.toMillis() / 1000)
			.map((row, meta) -> new Claim(referenceId, templateId, row.get("owner", UUID.class),
					row.get("create_key", String.class),
					(row.get("key_age_ms", Long.class) != null) ? Duration.ofMillis(row.get("key_age_ms", Long.class))
							: null,
					System.nanoTime() + this.lease.toNanos()))
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
	 * A claim held.
	 *
	 * @param referenceId the user
	 * @param templateId the template
	 * @param owner this holder's id
	 * @param createKey the key of an earlier create whose answer never arrived, or
	 * {@code null}
	 * @param createKeyAge how long ago that key was first sent, or {@code null}
	 * @param expiresAtNanos when its lease runs out, by {@link System#nanoTime()}
	 */
	public record Claim(String referenceId, String templateId, UUID owner, String createKey, Duration createKeyAge,
			long expiresAtNanos) {

		/**
		 * What is left of the lease, less a margin for the writes that follow a create;
		 * never negative.
		 */
		public Duration remaining() {
			long left = this.expiresAtNanos - System.nanoTime() - MARGIN.toNanos();
			return Duration.ofNanos(Math.max(0, left));
		}

		private static final Duration MARGIN = Duration.ofSeconds(2);

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
