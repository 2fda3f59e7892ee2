package io.personagate.webhook;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * reconciliation catching up from {@code GET /events}. An event about an inquiry the
 * cache knows is applied to that inquiry's user and template, found by its id: Persona's
 * events often say {@code reference-id: null} (every {@code inquiry.*} example of the
 * spec's {@code webhooks}; always once the account is redacted). An event never moves a
 * known inquiry to another user or template: one that contradicts what is known changes
 * nothing, and is counted ({@code gate.events.contradicted}) and logged. Each event is
 * applied at most once, and never over newer knowledge.
 */
@Service
public class InquiryEvents {

	/**
	 * The {@code inquiry.*} events of the spec's {@code webhooks} whose payload is the
	 * inquiry in a status worth keeping: every change of status, the redaction, and an
	 * inquiry decided by reusing a persona (possibly a new one, already in a final
	 * status).
	 */
	static final Set<String> HANDLED = Set.of("inquiry.created", "inquiry.started", "inquiry.completed",
			"inquiry.failed", "inquiry.expired", "inquiry.approved", "inquiry.declined", "inquiry.marked-for-review",
			"inquiry.redacted", "inquiry.transitioned", "inquiry.reusable-persona-used",
			"inquiry.reusable-persona-created");

	private static final Logger logger = LoggerFactory.getLogger(InquiryEvents.class);

	private final GatedTemplates templates;

	private final GateStore store;

	private final GateService gates;

	private final GateAudit audit;

	private final Counter contradicted;

	private final Clock clock;

	public InquiryEvents(GatedTemplates templates, GateStore store, GateService gates, GateAudit audit,
			MeterRegistry meters, Clock clock) {
		this.templates = templates;
		this.store = store;
		this.gates = gates;
		this.audit = audit;
		this.clock = clock;
		this.contradicted = Counter.builder("gate.events.contradicted")
			.description("Inquiry events that named another user or template than the cached inquiry's; ignored")
			.register(meters);
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
		// the owner is looked up and the event applied on one connection
		return this.store.inTransaction(place(event, inquiry)).flatMap((placed) -> {
			if (placed.result().outcome() != Outcome.APPLIED) {
				return Mono.just(placed.result());
			}
			return audit(event, inquiry, placed, via)
				.then(this.gates.recordChange(placed.referenceId(), placed.templateId()))
				.onErrorResume((ex) -> {
					logger.warn("Could not audit the gate change after event {}: {}", LogSafe.of(event.id()),
							ex.toString());
					return Mono.empty();
				})
				.thenReturn(placed.result());
		});
	}

	private Mono<Placed> place(PersonaEvent event, PersonaInquiry inquiry) {
		return this.store.owner(inquiry.id()).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap((known) -> {
			if (known.isPresent()) {
				GateStore.InquiryOwner owner = known.get();
				if (contradicts(inquiry, owner)) {
					this.contradicted.increment();
					logger.warn(
							"Event {} {} names reference id {} and template {} for inquiry {}, which belongs to "
									+ "reference id {} on template {}; ignored",
							LogSafe.of(event.id()), LogSafe.of(event.name()), LogSafe.of(inquiry.referenceId()),
							LogSafe.of(inquiry.templateId()), LogSafe.of(inquiry.id()), owner.referenceId(),
							owner.templateId());
					return Mono.just(
							new Placed(new Result(Outcome.CONTRADICTED, "names another user or template"), null, null));
				}
				return applyTo(event, owner.referenceId(), owner.templateId());
			}
			if (inquiry.referenceId() == null || inquiry.referenceId().isBlank()) {
				return Mono.just(
						new Placed(new Result(Outcome.IGNORED, "unknown inquiry without a reference id"), null, null));
			}
			if (!this.templates.isGated(inquiry.templateId())) {
				return Mono.just(new Placed(new Result(Outcome.IGNORED, "template not gated here"), null, null));
			}
			return applyTo(event, inquiry.referenceId(), inquiry.templateId());
		});
	}

	private static boolean contradicts(PersonaInquiry inquiry, GateStore.InquiryOwner owner) {
		return (inquiry.referenceId() != null && !inquiry.referenceId().equals(owner.referenceId()))
				|| (inquiry.templateId() != null && !inquiry.templateId().equals(owner.templateId()));
	}

	private Mono<Placed> applyTo(PersonaEvent event, String referenceId, String templateId) {
		return this.store
			.applyEvent(event, referenceId, templateId, event.name().equals("inquiry.redacted"), this.clock.instant())
			.map((outcome) -> new Placed(switch (outcome) {
				case APPLIED -> new Result(Outcome.APPLIED, "applied");
				case DUPLICATE -> new Result(Outcome.DUPLICATE, "already applied");
				case OUTDATED -> new Result(Outcome.OUTDATED, "older than what is cached");
			}, referenceId, templateId));
	}

	private Mono<Void> audit(PersonaEvent event, PersonaInquiry inquiry, Placed placed, String via) {
		GateAudit.Event row = new GateAudit.Event(GateAudit.Action.EVENT_APPLIED, inquiry.id(),
				(inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName(), null, null, null,
				event.name() + " " + event.id() + " (" + via + ")");
		return CorrelationIds.current()
			.defaultIfEmpty("")
			.flatMap((correlationId) -> this.audit.record(placed.referenceId(), placed.templateId(), row,
					correlationId.isEmpty() ? null : correlationId));
	}

	/** An event's result, with the user and template it was applied to, if any. */
	private record Placed(Result result, String referenceId, String templateId) {
	}

	/** What became of an event. */
	public enum Outcome {

		/** The cache took the event's news. */
		APPLIED,
		/** The event was applied before. */
		DUPLICATE,
		/** The cache already knew something newer. */
		OUTDATED,
		/**
		 * Not needed here: another kind of event, another template, or an inquiry the
		 * cache does not know and the event does not place.
		 */
		IGNORED,
		/**
		 * It names another user or template than the known inquiry's; nothing changed.
		 */
		CONTRADICTED,
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
