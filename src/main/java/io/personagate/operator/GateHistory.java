package io.personagate.operator;

import java.time.ZoneOffset;
import java.util.List;

import io.personagate.gate.GateDecision;
import io.personagate.gate.GateReason;
import io.personagate.gate.GatedTemplates;
import io.personagate.persona.InquiryStatus;
import io.personagate.store.GateAudit;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * A user's gate history, read from the audit trail.
 */
@Service
public class GateHistory {

	private final GatedTemplates templates;

	private final GateAudit audit;

	public GateHistory(GatedTemplates templates, GateAudit audit) {
		this.templates = templates;
		this.audit = audit;
	}

	/**
	 * The newest {@code first} entries about a user on a gated template, newest first.
	 */
	public Mono<List<GateHistoryEntry>> of(String referenceId, String templateId, int first) {
		return Mono.fromCallable(() -> this.templates.require(templateId))
			.flatMap((template) -> this.audit.history(referenceId, template.id().value(), first)
				.map(GateHistory::entry)
				.collectList());
	}

	private static GateHistoryEntry entry(GateAudit.Entry row) {
		return new GateHistoryEntry(row.at().atOffset(ZoneOffset.UTC), row.action(),
				(row.decision() != null) ? GateDecision.valueOf(row.decision()) : null,
				(row.reason() != null) ? GateReason.valueOf(row.reason()) : null, row.inquiryId(),
				(row.inquiryStatus() != null) ? InquiryStatus.fromPersona(row.inquiryStatus()) : null, row.actor(),
				row.note(), row.correlationId(),
				(row.reason() != null) ? GateReason.valueOf(row.reason()).rule() : null,
				(row.expiresAt() != null) ? row.expiresAt().atOffset(ZoneOffset.UTC) : null);
	}

}
