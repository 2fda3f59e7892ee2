package io.personagate.store;

import java.time.Instant;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Attempts operators grant in {@code inquiry_grant}. A grant is used by the next inquiry
 * this service creates for the user ({@link GateStore#saveCreatedInquiry}).
 */
@Repository
public class InquiryGrants {

	private static final String GRANT = """
			insert into inquiry_grant (reference_id, template_id, granted_at, granted_by, reason, expires_at)
			values (:ref, :template, :grantedAt, :grantedBy, :reason, :expiresAt)
			""";

	private final DatabaseClient db;

	private final TransactionalOperator transactions;

	private final GateAudit audit;

	private final GateChanges changes;

	public InquiryGrants(DatabaseClient db, TransactionalOperator transactions, GateAudit audit, GateChanges changes) {
		this.db = db;
		this.transactions = transactions;
		this.audit = audit;
		this.changes = changes;
	}

	/**
	 * Records a grant and its audit row, and tells every instance that the user's gate
	 * changed, in one transaction.
	 */
	public Mono<Void> grant(String referenceId, String templateId, Instant grantedAt, GateAudit.Event event,
			String correlationId) {
		DatabaseClient.GenericExecuteSpec insert = this.db.sql(GRANT)
			.bind("ref", referenceId)
			.bind("template", templateId)
			.bind("grantedAt", grantedAt)
			.bind("grantedBy", event.actor())
			.bind("reason", event.note());
		insert = (event.expiresAt() != null) ? insert.bind("expiresAt", event.expiresAt())
				: insert.bindNull("expiresAt", Instant.class);
		return insert.then()
			.then(this.audit.record(referenceId, templateId, event, correlationId))
			.then(this.changes.notify(this.db, referenceId, templateId))
			.as(this.transactions::transactional);
	}

}
