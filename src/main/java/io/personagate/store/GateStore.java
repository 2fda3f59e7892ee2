package io.personagate.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.personagate.persona.PersonaEvent;
import io.personagate.persona.PersonaInquiry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The cache of what Persona said: reads a user's inquiries on a template and writes what
 * a listing or a single call returned. An update never replaces a row with an older
 * version of the same inquiry, and a version that says nothing new (same time stamps,
 * same status) writes nothing and notifies no one.
 */
@Repository
public class GateStore {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Keeps the earliest expiry of an inquiry that stayed expired: a later one is no
	 * news.
	 */
	private static final String EXPIRED_AT = """
			case when excluded.status = 'expired' and persona_inquiry.status = 'expired'
			     then least(excluded.expired_at, coalesce(persona_inquiry.expired_at, excluded.expired_at))
			     else excluded.expired_at end""";

	/**
	 * Keeps a moment Persona sent before when a later version leaves it out (a sparse
	 * answer), and takes a new one (a decision overturned).
	 */
	private static final String MOMENTS = """
			decisioned_at = coalesce(excluded.decisioned_at, persona_inquiry.decisioned_at),
			       completed_at = coalesce(excluded.completed_at, persona_inquiry.completed_at),
			       failed_at = coalesce(excluded.failed_at, persona_inquiry.failed_at)""";

	private static final String UPSERT_INQUIRY = """
			insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, updated_at,
			                             expired_at, redacted_at, synced_at, first_seen_at,
			                             decisioned_at, completed_at, failed_at)
			values (:id, :ref, :template, :status, :createdAt, :updatedAt, :expiredAt, :redactedAt, :syncedAt, :syncedAt,
			        :decisionedAt, :completedAt, :failedAt)
			on conflict (inquiry_id) do update
			   set status = excluded.status,
			       updated_at = excluded.updated_at,
			       expired_at = EXPIRED_AT,
			       redacted_at = coalesce(excluded.redacted_at, persona_inquiry.redacted_at),
			       MOMENTS,
			       synced_at = excluded.synced_at
			 where persona_inquiry.reference_id = excluded.reference_id
			   and persona_inquiry.template_id = excluded.template_id
			   and (persona_inquiry.updated_at is null
			        or excluded.updated_at > persona_inquiry.updated_at
			        or (excluded.updated_at = persona_inquiry.updated_at
			            and inquiry_status_rank(excluded.status) >= inquiry_status_rank(persona_inquiry.status)
			            and (excluded.status, excluded.expired_at, coalesce(excluded.redacted_at, persona_inquiry.redacted_at))
			                is distinct from (persona_inquiry.status, persona_inquiry.expired_at, persona_inquiry.redacted_at)))
			"""
		.replace("EXPIRED_AT", EXPIRED_AT)
		.replace("MOMENTS", MOMENTS);

	/**
	 * A listing's version of an inquiry replaces the cached one, whatever their time
	 * stamps say, unless the cached one was written by a later answer (a create or resume
	 * after the listing started).
	 */
	private static final String UPSERT_LISTED = """
			insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, updated_at,
			                             expired_at, redacted_at, synced_at, first_seen_at, listed_at,
			                             decisioned_at, completed_at, failed_at)
			select l.id, :ref, :template, l.status, cast(l.created_at as timestamptz), cast(l.updated_at as timestamptz),
			       cast(l.expired_at as timestamptz), cast(l.redacted_at as timestamptz), :syncedAt, :syncedAt, :syncedAt,
			       cast(l.decisioned_at as timestamptz), cast(l.completed_at as timestamptz),
			       cast(l.failed_at as timestamptz)
			  from unnest(cast(:ids as text[]), cast(:statuses as text[]), cast(:createdAts as text[]),
			              cast(:updatedAts as text[]), cast(:expiredAts as text[]), cast(:redactedAts as text[]),
			              cast(:decisionedAts as text[]), cast(:completedAts as text[]), cast(:failedAts as text[]))
			       as l(id, status, created_at, updated_at, expired_at, redacted_at, decisioned_at, completed_at,
			            failed_at)
			on conflict (inquiry_id) do update
			   set status = excluded.status,
			       updated_at = excluded.updated_at,
			       expired_at = EXPIRED_AT,
			       redacted_at = coalesce(excluded.redacted_at, persona_inquiry.redacted_at),
			       MOMENTS,
			       synced_at = excluded.synced_at,
			       listed_at = excluded.listed_at
			 where persona_inquiry.reference_id = excluded.reference_id
			   and persona_inquiry.template_id = excluded.template_id
			   and persona_inquiry.synced_at <= excluded.synced_at
			   and (persona_inquiry.listed_at is null
			        or (persona_inquiry.status, persona_inquiry.updated_at, persona_inquiry.expired_at,
			            persona_inquiry.redacted_at, persona_inquiry.decisioned_at, persona_inquiry.completed_at,
			            persona_inquiry.failed_at)
			           is distinct from (excluded.status, excluded.updated_at, EXPIRED_AT,
			                             coalesce(excluded.redacted_at, persona_inquiry.redacted_at),
			                             coalesce(excluded.decisioned_at, persona_inquiry.decisioned_at),
			                             coalesce(excluded.completed_at, persona_inquiry.completed_at),
			                             coalesce(excluded.failed_at, persona_inquiry.failed_at)))
			"""
		.replace("EXPIRED_AT", EXPIRED_AT)
		.replace("MOMENTS", MOMENTS);

	/**
	 * Cached inquiries that a complete listing does not show, that no listing ever
	 * showed, and that the cache heard of long enough before it for Persona's listing to
	 * have caught up. One a listing once showed stays: once its account is redacted
	 * Persona no longer finds it by reference id, and it still counts as an attempt.
	 */
	private static final String DELETE_UNLISTED = """
			delete from persona_inquiry
			 where reference_id = :ref and template_id = :template
			   and not (inquiry_id = any(:listed))
			   and listed_at is null and redacted_at is null
			   and first_seen_at < :horizon
			""";

	private static final String HINT = """
			update gate_check
			   set hinted_at = :at, hint_inquiry_id = :inquiry, hint_status = :status, hint_version = :version
			 where reference_id = :ref and template_id = :template
			   and (hinted_at is null or hinted_at <= :at)
			""";

	private static final String OWNER = """
			select reference_id, template_id, status from persona_inquiry where inquiry_id = :id
			""";

	private static final String RECORD_EVENT = """
			insert into webhook_event (event_id, name, inquiry_id, created_at) values (:id, :name, :inquiry, :createdAt)
			on conflict (event_id) do nothing
			""";

	private static final String LOAD = """
			select c.checked_at, c.hinted_at, c.hint_inquiry_id, c.hint_status, c.hint_version, d.decision, d.reason, d.inquiry_id as decided_inquiry_id, g.grants,
			       i.inquiry_id, i.status, i.created_at, i.updated_at, i.expired_at, i.redacted_at, i.synced_at,
			       i.decisioned_at, i.completed_at, i.failed_at
			  from (select cast(:ref as text) as reference_id, cast(:template as text) as template_id) k
			  left join gate_check c on c.reference_id = k.reference_id and c.template_id = k.template_id
			  left join gate_decision d on d.reference_id = k.reference_id and d.template_id = k.template_id
			  left join lateral (
			      select cast(json_agg(json_build_object(
			                 'at', cast(extract(epoch from granted_at) * 1000000 as bigint),
			                 'inquiry', inquiry_id,
			                 'expires', cast(extract(epoch from expires_at) * 1000000 as bigint))) as text) as grants
			        from inquiry_grant
			       where reference_id = k.reference_id and template_id = k.template_id
			  ) g on true
			  left join persona_inquiry i on i.reference_id = k.reference_id and i.template_id = k.template_id
			""";

	private static final String USE_GRANTS = """
			update inquiry_grant set inquiry_id = :inquiry, used_at = :usedAt
			 where reference_id = :ref and template_id = :template and inquiry_id is null
			returning granted_by
			""";

	private static final String UPSERT_CHECK = """
			insert into gate_check (reference_id, template_id, checked_at) values (:ref, :template, :checkedAt)
			on conflict (reference_id, template_id) do update set checked_at = excluded.checked_at
			 where gate_check.checked_at < excluded.checked_at
			""";

	private final DatabaseClient db;

	private final GateChanges changes;

	private final TransactionalOperator transactions;

	private final Trust trust;

	public GateStore(DatabaseClient db, TransactionalOperator transactions, GateChanges changes, Trust trust) {
		this.db = db;
		this.trust = trust;
		this.changes = changes;
		this.transactions = transactions;
	}

	/**
	 * Everything cached about a user on a template, in one round trip: the inquiries,
	 * when Persona last confirmed them, and the decision last served.
	 */
	public Mono<CachedGate> load(String referenceId, String templateId) {
		return this.db.sql(LOAD)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.map((row, meta) -> new LoadedRow(row.get("checked_at", Instant.class),
					(row.get("hinted_at", Instant.class) != null) ? new CachedGate.Hint(
							row.get("hinted_at", Instant.class), row.get("hint_inquiry_id", String.class),
							row.get("hint_status", String.class), row.get("hint_version", Instant.class)) : null,
					row.get("grants", String.class),
					(row.get("decision", String.class) != null) ? new LastDecision(row.get("decision", String.class),
							row.get("reason", String.class), row.get("decided_inquiry_id", String.class)) : null,
					(row.get("inquiry_id", String.class) != null)
							? new InquiryRecord(row.get("inquiry_id", String.class), referenceId, templateId,
									row.get("status", String.class), row.get("created_at", Instant.class),
									row.get("updated_at", Instant.class), row.get("expired_at", Instant.class),
									row.get("redacted_at", Instant.class), row.get("synced_at", Instant.class),
									row.get("decisioned_at", Instant.class), row.get("completed_at", Instant.class),
									row.get("failed_at", Instant.class))
							: null))
			.all()
			.collectList()
			.map((rows) -> {
				LoadedRow first = rows.get(0);
				List<InquiryRecord> records = rows.stream().map(LoadedRow::inquiry).filter(Objects::nonNull).toList();
				return new CachedGate(records, first.checkedAt(), first.hint(), first.lastDecision(),
						grants(first.grants()));
			});
	}

	private static List<GrantRecord> grants(String aggregated) {
		if (aggregated == null) {
			return List.of();
		}
		List<GrantRecord> grants = new ArrayList<>();
		for (JsonNode grant : json.readTree(aggregated)) {
			Instant at = Instant.EPOCH.plus(grant.path("at").asLong(), ChronoUnit.MICROS);
			Instant expires = grant.path("expires").isNumber()
					? Instant.EPOCH.plus(grant.path("expires").asLong(), ChronoUnit.MICROS) : null;
			grants.add(new GrantRecord(at, grant.path("inquiry").asString(null), expires));
		}
		return List.copyOf(grants);
	}

	private record LoadedRow(Instant checkedAt, CachedGate.Hint hint, String grants, LastDecision lastDecision,
			InquiryRecord inquiry) {
	}

	/**
	 * Runs {@code work} in one transaction, so on one connection: the reads and writes of
	 * this store inside it join it.
	 */
	public <T> Mono<T> inTransaction(Mono<T> work) {
		return work.as(this.transactions::transactional);
	}

	/**
	 * The user and template a cached inquiry belongs to; empty if the cache does not know
	 * it. Fixed once known: no later write moves an inquiry to another owner.
	 */
	public Mono<InquiryOwner> owner(String inquiryId) {
		return this.db.sql(OWNER)
			.bind("id", inquiryId)
			.map((row, meta) -> new InquiryOwner(row.get("reference_id", String.class),
					row.get("template_id", String.class), row.get("status", String.class)))
			.one();
	}

	/**
	 * Who a cached inquiry belongs to.
	 *
	 * @param referenceId the user
	 * @param templateId the template
	 * @param status its cached status, as Persona spelt it
	 */
	public record InquiryOwner(String referenceId, String templateId, String status) {
	}

	/**
	 * Records a complete listing as what the cache believes about the user and template:
	 * every inquiry in it replaces its cached version (unless a create or resume wrote a
	 * later one meanwhile), cached inquiries it does not show stop counting once the
	 * cache heard of them more than {@code lag} before the listing (Persona's list can
	 * lag just after a create), and the list is confirmed at {@code checkedAt}, when the
	 * listing started.
	 */
	public Mono<Void> saveListing(String referenceId, String templateId, Collection<PersonaInquiry> listed,
			Instant checkedAt) {
		String[] ids = listed.stream().map(PersonaInquiry::id).toArray(String[]::new);
		Mono<Long> upserts = listed.isEmpty() ? Mono.just(0L)
				: upsertListed(referenceId, templateId, listed, checkedAt);
		Mono<Void> writes = upserts
			.concatWith(this.db.sql(DELETE_UNLISTED)
				.bind("ref", referenceId)
				.bind("template", templateId)
				.bind("listed", ids)
				.bind("horizon", checkedAt.minus(this.trust.listingLag()))
				.fetch()
				.rowsUpdated())
			.reduce(0L, Long::sum)
			.flatMap((changed) -> (changed > 0) ? this.changes.notify(this.db, referenceId, templateId) : Mono.empty())
			.then(this.db.sql(UPSERT_CHECK)
				.bind("ref", referenceId)
				.bind("template", templateId)
				.bind("checkedAt", checkedAt)
				.then());
		return writes.as(this.transactions::transactional);
	}

	/** Records one inquiry that a create or resume returned. */
	public Mono<Void> saveInquiry(String referenceId, String templateId, PersonaInquiry inquiry, Instant seenAt) {
		return upsert(UPSERT_INQUIRY, referenceId, templateId, inquiry, seenAt)
			.flatMap((changed) -> (changed > 0) ? this.changes.notify(this.db, referenceId, templateId) : Mono.empty())
			.as(this.transactions::transactional)
			.then();
	}

	/**
	 * Records an inquiry this service created; it uses every attempt granted for the user
	 * and not used yet, in the same transaction.
	 * @return who granted the attempts it used
	 */
	public Mono<List<String>> saveCreatedInquiry(String referenceId, String templateId, PersonaInquiry inquiry,
			Instant seenAt) {
		return upsert(UPSERT_INQUIRY, referenceId, templateId, inquiry, seenAt)
			.flatMap((changed) -> (changed > 0) ? this.changes.notify(this.db, referenceId, templateId) : Mono.empty())
			.then(this.db.sql(USE_GRANTS)
				.bind("inquiry", inquiry.id())
				.bind("usedAt", seenAt)
				.bind("ref", referenceId)
				.bind("template", templateId)
				.map((row, meta) -> row.get("granted_by", String.class))
				.all()
				.collectList())
			.as(this.transactions::transactional);
	}

	/**
	 * Takes a webhook event about a user's inquiries on a gated template, at most once
	 * per event id, as a hint: the cached inquiries stay as Persona's own answers left
	 * them, but the cached answer is no longer fresh, so the next read lists the user's
	 * inquiries at Persona before it serves anything (and every instance hears of it).
	 */
	public Mono<EventOutcome> hint(PersonaEvent event, String referenceId, String templateId, Instant receivedAt) {
		Mono<EventOutcome> take = bindInstant(this.db.sql(RECORD_EVENT)
			.bind("id", event.id())
			.bind("name", event.name())
			.bind("inquiry", event.inquiry().id()), "createdAt", event.createdAt()).fetch()
			.rowsUpdated()
			.flatMap((recorded) -> {
				if (recorded == 0) {
					return Mono.just(EventOutcome.DUPLICATE);
				}
				PersonaInquiry inquiry = event.inquiry();
				Instant version = (inquiry.updatedAt() != null) ? inquiry.updatedAt() : event.createdAt();
				GenericExecuteSpec hint = this.db.sql(HINT)
					.bind("ref", referenceId)
					.bind("template", templateId)
					.bind("at", receivedAt)
					.bind("inquiry", inquiry.id())
					.bind("status",
							(inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName());
				return bindInstant(hint, "version", version).then()
					.then(this.changes.notify(this.db, referenceId, templateId))
					.thenReturn(EventOutcome.HINTED);
			});
		return take.as(this.transactions::transactional);
	}

	/** Tells every instance that this user's gate may have changed. */
	public Mono<Void> remind(String referenceId, String templateId) {
		return this.changes.notify(this.db, referenceId, templateId);
	}

	/** What taking a webhook event did. */
	public enum EventOutcome {

		/** The cached answer waits for a listing to confirm the event's news. */
		HINTED,
		/** The event was taken before. */
		DUPLICATE

	}

	private Mono<Long> upsertListed(String referenceId, String templateId, Collection<PersonaInquiry> listed,
			Instant seenAt) {
		Instant latest = seenAt.plus(this.trust.clockSkew());
		int size = listed.size();
		String[] ids = new String[size];
		String[] statuses = new String[size];
		String[] createdAts = new String[size];
		String[] updatedAts = new String[size];
		String[] expiredAts = new String[size];
		String[] redactedAts = new String[size];
		String[][] moments = new String[3][size];
		int i = 0;
		for (PersonaInquiry inquiry : listed) {
			Instant createdAt = atMost((inquiry.createdAt() != null) ? inquiry.createdAt() : seenAt, latest);
			ids[i] = inquiry.id();
			statuses[i] = (inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName();
			createdAts[i] = createdAt.toString();
			updatedAts[i] = ((inquiry.updatedAt() != null) ? atMost(inquiry.updatedAt(), latest) : createdAt)
				.toString();
			expiredAts[i] = (inquiry.expiredAt() != null) ? atMost(inquiry.expiredAt(), latest).toString() : null;
			redactedAts[i] = (inquiry.redactedAt() != null) ? atMost(inquiry.redactedAt(), latest).toString() : null;
			Instant[] sent = { inquiry.decisionedAt(), inquiry.completedAt(), inquiry.failedAt() };
			for (int m = 0; m < sent.length; m++) {
				moments[m][i] = (sent[m] != null) ? atMost(sent[m], latest).toString() : null;
			}
			i++;
		}
		return this.db.sql(UPSERT_LISTED)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("syncedAt", seenAt)
			.bind("ids", ids)
			.bind("statuses", statuses)
			.bind("createdAts", createdAts)
			.bind("updatedAts", updatedAts)
			.bind("expiredAts", expiredAts)
			.bind("redactedAts", redactedAts)
			.bind("decisionedAts", moments[0])
			.bind("completedAts", moments[1])
			.bind("failedAts", moments[2])
			.fetch()
			.rowsUpdated();
	}

	private Mono<Long> upsert(String sql, String referenceId, String templateId, PersonaInquiry inquiry,
			Instant seenAt) {
		// no time Persona sends is later than its clock, which is this one's within the
		// skew: a later one would order this version after every true one for ever
		Instant latest = seenAt.plus(this.trust.clockSkew());
		Instant createdAt = atMost((inquiry.createdAt() != null) ? inquiry.createdAt() : seenAt, latest);
		Instant version = (inquiry.updatedAt() != null) ? atMost(inquiry.updatedAt(), latest) : createdAt;
		GenericExecuteSpec spec = this.db.sql(sql)
			.bind("id", inquiry.id())
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("status", (inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName())
			.bind("createdAt", createdAt)
			.bind("updatedAt", version)
			.bind("syncedAt", seenAt);
		spec = bindInstant(spec, "expiredAt",
				(inquiry.expiredAt() != null) ? atMost(inquiry.expiredAt(), latest) : null);
		spec = bindInstant(spec, "redactedAt",
				(inquiry.redactedAt() != null) ? atMost(inquiry.redactedAt(), latest) : null);
		spec = bindInstant(spec, "decisionedAt",
				(inquiry.decisionedAt() != null) ? atMost(inquiry.decisionedAt(), latest) : null);
		spec = bindInstant(spec, "completedAt",
				(inquiry.completedAt() != null) ? atMost(inquiry.completedAt(), latest) : null);
		spec = bindInstant(spec, "failedAt", (inquiry.failedAt() != null) ? atMost(inquiry.failedAt(), latest) : null);
		return spec.fetch().rowsUpdated();
	}

	private static Instant atMost(Instant value, Instant latest) {
		return value.isAfter(latest) ? latest : value;
	}

	/**
	 * How far the cache trusts what Persona says.
	 *
	 * @param listingLag how long after the cache first heard of an inquiry a listing may
	 * still leave it out
	 * @param clockSkew how far ahead of this service's clock Persona's times may be
	 */
	public record Trust(Duration listingLag, Duration clockSkew) {
	}

	private static GenericExecuteSpec bindInstant(GenericExecuteSpec spec, String name, Instant value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, Instant.class);
	}

}
