package io.personagate.store;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

/**
 * The audit trail in {@code gate_audit}: each change of a user's gate, each inquiry
 * created or resumed, with the correlation id of the request that caused it.
 */
@Repository
public class GateAudit {

	/** What an audit row records. */
	public enum Action {

		DECISION_CHANGED, INQUIRY_CREATED, INQUIRY_RESUMED

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
			insert into gate_audit (reference_id, template_id, action, inquiry_id, decision, reason, correlation_id)
			select :ref, :template, 'DECISION_CHANGED', :inquiry, :decision, :reason, :correlation from changed
			""";

	private static final String INQUIRY_EVENT = """
			insert into gate_audit (reference_id, template_id, action, inquiry_id, decision, reason, correlation_id)
			values (:ref, :template, :action, :inquiry, :decision, :reason, :correlation)
			""";

	private final DatabaseClient db;

	public GateAudit(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * Records the decision now served, with an audit row if it differs from the last one.
	 */
	public Mono<Void> decisionServed(String referenceId, String templateId, String decision, String reason,
			String inquiryId, String correlationId) {
		return bind(this.db.sql(DECISION_CHANGED), referenceId, templateId, inquiryId, decision, reason, correlationId)
			.then();
	}

	/** Records that an inquiry was created or resumed for the user. */
	public Mono<Void> inquiry(Action action, String referenceId, String templateId, String inquiryId, String decision,
			String reason, String correlationId) {
		return bind(this.db.sql(INQUIRY_EVENT).bind("action", action.name()), referenceId, templateId, inquiryId,
				decision, reason, correlationId)
			.then();
	}

	private static Mono<Long> bind(GenericExecuteSpec spec, String referenceId, String templateId, String inquiryId,
			String decision, String reason, String correlationId) {
		GenericExecuteSpec bound = spec.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("decision", decision)
			.bind("reason", reason);
		bound = (inquiryId != null) ? bound.bind("inquiry", inquiryId) : bound.bindNull("inquiry", String.class);
		bound = (correlationId != null) ? bound.bind("correlation", correlationId)
				: bound.bindNull("correlation", String.class);
		return bound.fetch().rowsUpdated();
	}

}
