package io.personagate.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.personagate.persona.PersonaEvent;
import io.personagate.persona.PersonaInquiry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The cache of what Persona said: reads a user's inquiries on a template and writes what
 * a listing or a single call returned. An update never replaces a row with an older
 * version of the same inquiry.
 */
@Repository
public class GateStore {

	private static final String UPSERT_INQUIRY = """
			insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, updated_at,
			                             expired_at, redacted_at, synced_at)
			values (:id, :ref, :template, :status, :createdAt, :updatedAt, :expiredAt, :redactedAt, :syncedAt)
			on conflict (inquiry_id) do update
			   set status = excluded.status,
			       updated_at = excluded.updated_at,
			       expired_at = excluded.expired_at,
			       redacted_at = coalesce(excluded.redacted_at, persona_inquiry.redacted_at),
			       synced_at = excluded.synced_at
			 where persona_inquiry.updated_at is null
			    or excluded.updated_at > persona_inquiry.updated_at
			    or (excluded.updated_at = persona_inquiry.updated_at
			        and inquiry_status_rank(excluded.status) >= inquiry_status_rank(persona_inquiry.status))
			""";

	private static final String MARK_REDACTED = """
			insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, updated_at,
			                             expired_at, redacted_at, synced_at)
			values (:id, :ref, :template, :status, :createdAt, :updatedAt, :expiredAt, :redactedAt, :syncedAt)
			on conflict (inquiry_id) do update
			   set redacted_at = coalesce(persona_inquiry.redacted_at, excluded.redacted_at)
			 where persona_inquiry.redacted_at is null
			""";

	private static final String RECORD_EVENT = """
			insert into webhook_event (event_id, name, inquiry_id, created_at) values (:id, :name, :inquiry, :createdAt)
			on conflict (event_id) do nothing
			""";

	private static final String LOAD = """
			select c.checked_at, d.decision, d.reason, d.inquiry_id as decided_inquiry_id,
			       i.inquiry_id, i.status, i.created_at, i.updated_at, i.expired_at, i.redacted_at, i.synced_at
			  from (select cast(:ref as text) as reference_id, cast(:template as text) as template_id) k
			  left join gate_check c on c.reference_id = k.reference_id and c.template_id = k.template_id
			  left join gate_decision d on d.reference_id = k.reference_id and d.template_id = k.template_id
			  left join persona_inquiry i on i.reference_id = k.reference_id and i.template_id = k.template_id
			""";

	private static final String UPSERT_CHECK = """
			insert into gate_check (reference_id, template_id, checked_at) values (:ref, :template, :checkedAt)
			on conflict (reference_id, template_id) do update set checked_at = excluded.checked_at
			 where gate_check.checked_at < excluded.checked_at
			""";

	private final DatabaseClient db;

	private final GateChanges changes;

	private final TransactionalOperator transactions;

	public GateStore(DatabaseClient db, TransactionalOperator transactions, GateChanges changes) {
		this.db = db;
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
					(row.get("decision", String.class) != null) ? new LastDecision(row.get("decision", String.class),
							row.get("reason", String.class), row.get("decided_inquiry_id", String.class)) : null,
					(row.get("inquiry_id", String.class) != null)
							? new InquiryRecord(row.get("inquiry_id", String.class), referenceId, templateId,
									row.get("status", String.class), row.get("created_at", Instant.class),
									row.get("updated_at", Instant.class), row.get("expired_at", Instant.class),
									row.get("redacted_at", Instant.class), row.get("synced_at", Instant.class))
							: null))
			.all()
			.collectList()
			.map((rows) -> {
				LoadedRow first = rows.get(0);
				List<InquiryRecord> records = rows.stream().map(LoadedRow::inquiry).filter(Objects::nonNull).toList();
				return new CachedGate(records, first.checkedAt(), first.lastDecision());
			});
	}

	private record LoadedRow(Instant checkedAt, LastDecision lastDecision, InquiryRecord inquiry) {
	}

	/**
	 * Records a complete listing: every inquiry in it, and that the list was confirmed at
	 * {@code checkedAt}. Cached inquiries missing from the listing are kept: Persona's
	 * list can lag just after a create.
	 */
	public Mono<Void> saveListing(String referenceId, String templateId, Collection<PersonaInquiry> listed,
			Instant checkedAt) {
		Mono<Void> writes = Flux.fromIterable(listed)
			.concatMap((inquiry) -> upsert(UPSERT_INQUIRY, referenceId, templateId, inquiry, null, checkedAt))
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
		return upsert(UPSERT_INQUIRY, referenceId, templateId, inquiry, null, seenAt)
			.flatMap((changed) -> (changed > 0) ? this.changes.notify(this.db, referenceId, templateId) : Mono.empty())
			.as(this.transactions::transactional)
			.then();
	}

	/**
	 * Applies a webhook event about an inquiry of a gated template, at most once per
	 * event id. An event older than what is cached changes nothing; a redaction only
	 * records that it happened.
	 */
	public Mono<EventOutcome> applyEvent(PersonaEvent event, String referenceId, String templateId, boolean redaction,
			Instant receivedAt) {
		PersonaInquiry inquiry = event.inquiry();
		Mono<EventOutcome> apply = bindInstant(this.db.sql(RECORD_EVENT)
			.bind("id", event.id())
			.bind("name", event.name())
			.bind("inquiry", inquiry.id()), "createdAt", event.createdAt()).fetch()
			.rowsUpdated()
			.flatMap((recorded) -> {
				if (recorded == 0) {
					return Mono.just(EventOutcome.DUPLICATE);
				}
				PersonaInquiry versioned = redaction && inquiry.redactedAt() == null
						? new PersonaInquiry(inquiry.id(), inquiry.status(), inquiry.rawStatus(), inquiry.referenceId(),
								inquiry.templateId(), inquiry.createdAt(), inquiry.updatedAt(), inquiry.expiredAt(),
								(event.createdAt() != null) ? event.createdAt() : receivedAt)
						: inquiry;
				return upsert(redaction ? MARK_REDACTED : UPSERT_INQUIRY, referenceId, templateId, versioned,
						event.createdAt(), receivedAt)
					.flatMap((changed) -> (changed == 0) ? Mono.just(EventOutcome.OUTDATED)
							: this.changes.notify(this.db, referenceId, templateId).thenReturn(EventOutcome.APPLIED));
			});
		return apply.as(this.transactions::transactional);
	}

	/** What applying a webhook event did. */
	public enum EventOutcome {

		/** The cache took the event's news. */
		APPLIED,
		/** The event was applied before. */
		DUPLICATE,
		/** The cache already knew something newer. */
		OUTDATED

	}

	private Mono<Long> upsert(String sql, String referenceId, String templateId, PersonaInquiry inquiry,
			Instant fallbackVersion, Instant seenAt) {
		Instant createdAt = (inquiry.createdAt() != null) ? inquiry.createdAt() : seenAt;
		Instant version = (inquiry.updatedAt() != null) ? inquiry.updatedAt()
				: (fallbackVersion != null) ? fallbackVersion : createdAt;
		GenericExecuteSpec spec = this.db.sql(sql)
			.bind("id", inquiry.id())
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("status", (inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName())
			.bind("createdAt", createdAt)
			.bind("updatedAt", version)
			.bind("syncedAt", seenAt);
		spec = bindInstant(spec, "expiredAt", inquiry.expiredAt());
		spec = bindInstant(spec, "redactedAt", inquiry.redactedAt());
		return spec.fetch().rowsUpdated();
	}

	private static GenericExecuteSpec bindInstant(GenericExecuteSpec spec, String name, Instant value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, Instant.class);
	}

}
