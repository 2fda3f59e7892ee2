package io.personagate.webhook;

import java.time.Clock;
import java.util.Set;

import io.personagate.config.CorrelationIds;
import io.personagate.gate.GateService;
import io.personagate.gate.GatedTemplates;
import io.personagate.persona.LogSafe;
import io.personagate.persona.PersonaEvent;
import io.personagate.persona.PersonaInquiry;
import io.personagate.store.GateAudit;
import io.personagate.store.GateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Applies Persona's inquiry events to the cache, whoever read them: the webhook route, or
 * reconciliation catching up from {@code GET /events}. Each event is applied at most
 * once, and never over newer knowledge.
 */
@Service
public class InquiryEvents {

	/**
	 * The {@code inquiry.*} events whose payload is the inquiry in a status worth
	 * keeping.
	 */
	static final Set<String> HANDLED = Set.of("inquiry.created", "inquiry.started", "inquiry.completed",
			"inquiry.failed", "inquiry.expired", "inquiry.approved", "inquiry.declined", "inquiry.marked-for-review",
			"inquiry.redacted", "inquiry.transitioned");

	private static final Logger logger = LoggerFactory.getLogger(InquiryEvents.class);

	private final GatedTemplates templates;

	private final GateStore store;

	private final GateService gates;

	private final GateAudit audit;

	private final Clock clock;

	public InquiryEvents(GatedTemplates templates, GateStore store, GateService gates, GateAudit audit, Clock clock) {
		this.templates = templates;
		this.store = store;
		this.gates = gates;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Applies one event, and says what became of it; an applied event is recorded in the
	 * audit trail as having come {@code via} the webhook or reconciliation.
	 */
	public Mono<Result> apply(PersonaEvent event, String via) {
		if (!HANDLED.contains(event.name())) {
			return Mono.just(new Result(Outcome.IGNORED, "event not handled"));
		}
		PersonaInquiry inquiry = event.inquiry();
		if (inquiry == null) {
			return Mono.just(new Result(Outcome.MALFORMED, "inquiry event without an inquiry payload"));
		}
		if (inquiry.referenceId() == null || inquiry.referenceId().isBlank()) {
			return Mono.just(new Result(Outcome.IGNORED, "inquiry has no reference id"));
		}
		if (!this.templates.isGated(inquiry.templateId())) {
			return Mono.just(new Result(Outcome.IGNORED, "template not gated here"));
		}
		return this.store
			.applyEvent(event, inquiry.referenceId(), inquiry.templateId(), event.name().equals("inquiry.redacted"),
					this.clock.instant())
			.flatMap((outcome) -> switch (outcome) {
				case APPLIED -> audit(event, inquiry, via)
					.then(this.gates.recordChange(inquiry.referenceId(), inquiry.templateId()))
					.onErrorResume((ex) -> {
						logger.warn("Could not audit the gate change after event {}: {}", LogSafe.of(event.id()),
								ex.toString());
						return Mono.empty();
					})
					.thenReturn(new Result(Outcome.APPLIED, "applied"));
				case DUPLICATE -> Mono.just(new Result(Outcome.DUPLICATE, "already applied"));
				case OUTDATED -> Mono.just(new Result(Outcome.OUTDATED, "older than what is cached"));
			});
	}

	private Mono<Void> audit(PersonaEvent event, PersonaInquiry inquiry, String via) {
		GateAudit.Event row = new GateAudit.Event(GateAudit.Action.EVENT_APPLIED, inquiry.id(),
				(inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName(), null, null, null,
				event.name() + " " + event.id() + " (" + via + ")");
		return CorrelationIds.current()
			.defaultIfEmpty("")
			.flatMap((correlationId) -> this.audit.record(inquiry.referenceId(), inquiry.templateId(), row,
					correlationId.isEmpty() ? null : correlationId));
	}

	/** What became of an event. */
	public enum Outcome {

		/** The cache took the event's news. */
		APPLIED,
		/** The event was applied before. */
		DUPLICATE,
		/** The cache already knew something newer. */
		OUTDATED,
		/** Not an event this service needs. */
		IGNORED,
		/** An inquiry event without its inquiry. */
		MALFORMED

	}

	/**
	 * What became of an event, and a word on why.
	 *
	 * @param outcome what became of it
	 * @param note why, for the log
	 */
	public record Result(Outcome outcome, String note) {
	}

}
