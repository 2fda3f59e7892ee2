package io.personagate.store;

import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * The audit trail in {@code gate_audit}: each change of a user's gate, each inquiry
 * created or resumed, each Persona event applied, each attempt granted and each refresh
 * an operator asked for, with who asked, why, and the correlation id of the request that
 * caused it.
 */
@Repository
public class GateAudit {

	/** What an audit row records. */
	public enum Action {

		/** The decision served for the user changed. */
		DECISION_CHANGED,
		/** This service created an inquiry for the user. */
		INQUIRY_CREATED,
		/** This service resumed one of the user's inquiries. */
		INQUIRY_RESUMED,
		/** An operator let the user start one more inquiry. */
		ATTEMPT_GRANTED,
		/** An operator had the user's inquiries read from Persona again. */
		REFRESHED,
		/**
		 * A Persona event changed what the cache knows of an inquiry: a webhook, or
		 * reconciliation's reading of the event list.
		 */
		EVENT_APPLIED

	}

	private static final String DECISION_CHANGED = """
			with changed as (
			    insert into gate_decision (reference_id, template_id, decision, reason, inquiry_id, decided_at)
			    values (:ref, :template, :decision, :reason, :inquiry, now())
			    on conflict (reference_id, template_id) do update
			       set decision = excluded.decision, reason = excluded.reason,
			           inquiry_id = excluded.inquiry_id, decided_at = excluded.decided_at
			     where (gate_decision.decision, gate_decision.reason, gate_decision.inquiry_id)
			           is distinct from (excluded.decision, excluded.reason, excluded.inquiry_id)
			    returning reference_id
			)
			insert into gate_audit (reference_id, template_id, action, inquiry_id, inquiry_status, decision, reason,
			                        actor, note, correlation_id)
			select :ref, :template, 'DECISION_CHANGED', :inquiry, :inquiryStatus, :decision, :reason, :actor, :note,
			       :correlation
			  from changed
			""";

	private static final String INSERT = """
			insert into gate_audit (reference_id, template_id, action, inquiry_id, inquiry_status, decision, reason,
			                        actor, note, correlation_id, expires_at)
			values (:ref, :template, :action, :inquiry, :inquiryStatus, :decision, :reason, :actor, :note,
			        :correlation, :expiresAt)
			""";

	private static final String HISTORY = """
			select occurred_at, action, inquiry_id, inquiry_status, decision, reason, actor, note, correlation_id,
			       expires_at
			  from gate_audit
			 where reference_id = :ref and template_id = :template
			 order by occurred_at desc, id desc
			 limit :limit
			""";

	private final DatabaseClient db;

	public GateAudit(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Records the decision now served, with an audit row if it differs from the last one.
	 * @return whether it differed (and this call recorded the change)
	 */
	public Mono<Boolean> decisionServed(String referenceId, String templateId, Event decision, String correlationId) {
		return bind(this.db.sql(DECISION_CHANGED), referenceId, templateId, decision, correlationId)
			.map((rows) -> rows > 0);
	}

	/**
	 * Records something that happened to the user's gate: an inquiry created or resumed,
	 * an attempt granted, a refresh.
	 */
	public Mono<Void> record(String referenceId, String templateId, Event event, String correlationId) {
		GenericExecuteSpec insert = this.db.sql(INSERT).bind("action", event.action().name());
		insert = (event.expiresAt() != null) ? insert.bind("expiresAt", event.expiresAt())
				: insert.bindNull("expiresAt", Instant.class);
		return bind(insert, referenceId, templateId, event, correlationId).then();
	}

	/** The newest {@code limit} rows about a user on a template, newest first. */
	public Flux<Entry> history(String referenceId, String templateId, int limit) {
		return this.db.sql(HISTORY)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("limit", limit)
			.map((row, meta) -> new Entry(row.get("occurred_at", Instant.class), row.get("action", String.class),
					row.get("inquiry_id", String.class), row.get("inquiry_status", String.class),
					row.get("decision", String.class), row.get("reason", String.class), row.get("actor", String.class),
					row.get("note", String.class), row.get("correlation_id", String.class),
					row.get("expires_at", Instant.class)))
			.all();
	}

	private static Mono<Long> bind(GenericExecuteSpec spec, String referenceId, String templateId, Event event,
			String correlationId) {
		GenericExecuteSpec bound = spec.bind("ref", referenceId).bind("template", templateId);
		bound = nullable(bound, "inquiry", event.inquiryId());
		bound = nullable(bound, "inquiryStatus", event.inquiryStatus());
		bound = nullable(bound, "decision", event.decision());
		bound = nullable(bound, "reason", event.reason());
		bound = nullable(bound, "actor", event.actor());
		bound = nullable(bound, "note", event.note());
		bound = nullable(bound, "correlation", correlationId);
		return bound.fetch().rowsUpdated();
	}

	private static GenericExecuteSpec nullable(GenericExecuteSpec spec, String name, String value) {
		return (value != null) ? spec.bind(name, value) : spec.bindNull(name, String.class);
	}

	/**
	 * What to record.
	 *
	 * @param action what happened
	 * @param inquiryId the inquiry concerned, if any
	 * @param inquiryStatus its status then, as Persona names it
	 * @param decision the decision then
	 * @param reason its reason
	 * @param actor who asked for it: the subject of their token, or {@code null} when no
	 * person or service did
	 * @param note why, in the actor's words, or what else is worth knowing
	 * @param expiresAt when a grant lapses unused, if it does
	 */
	public record Event(Action action, String inquiryId, String inquiryStatus, String decision, String reason,
			String actor, String note, Instant expiresAt) {

		public Event(Action action, String inquiryId, String inquiryStatus, String decision, String reason,
				String actor, String note) {
			this(action, inquiryId, inquiryStatus, decision, reason, actor, note, null);
		}

	}

	/**
	 * One row of the audit trail.
	 *
	 * @param at when it happened
	 * @param action what happened ({@link Action}'s names)
	 * @param inquiryId the inquiry concerned, if any
	 * @param inquiryStatus its status then, as Persona names it
	 * @param decision the decision then, if recorded
	 * @param reason its reason
	 * @param actor who asked for it, if a person or service did
	 * @param note why
	 * @param correlationId the correlation id of the request that caused it
	 * @param expiresAt when a grant lapses unused, if it does
	 */
	public record Entry(Instant at, String action, String inquiryId, String inquiryStatus, String decision,
			String reason, String actor, String note, String correlationId, Instant expiresAt) {
	}

}
