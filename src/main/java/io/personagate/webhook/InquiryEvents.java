package io.personagate.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.config.CorrelationIds;
import io.personagate.gate.GateService;
import io.personagate.gate.GatedTemplates;
import io.personagate.persona.InquiryStatus;
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
 * Takes Persona's inquiry events, whoever read them: the webhook route, or reconciliation
 * catching up from {@code GET /events}. An event is a hint, not evidence: it never writes
 * what the gate decides on, it marks the user's cached answer as waiting for a listing
 * ({@link GateStore#hint}), so that whatever it tells (an approval, a decline) is served
 * only once Persona's listing confirms it. An event stamped later than now (beyond
 * {@code gate.cache.clock-skew}), or telling of a move Persona cannot make (a decided
 * inquiry back to created or pending), is refused. An event about an inquiry the cache
 * knows goes to that inquiry's user and template, found by its id: Persona's events often
 * say {@code reference-id: null} (every {@code inquiry.*} example of the spec's
 * {@code webhooks}; always once the account is redacted). An event never moves a known
 * inquiry to another user or template: one that contradicts what is known changes
 * nothing, and is counted ({@code gate.events.contradicted}) and logged. Each event is
 * taken at most once.
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

	private final GateStore.Trust trust;

	public InquiryEvents(GatedTemplates templates, GateStore store, GateService gates, GateAudit audit,
			MeterRegistry meters, Clock clock, GateStore.Trust trust) {
		this.trust = trust;
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
		String invalid = EventFields.problem(event);
		if (invalid != null) {
			return Mono.just(new Result(Outcome.INVALID, invalid));
		}
		Instant latest = this.clock.instant().plus(this.trust.clockSkew());
		if (isAfter(event.createdAt(), latest) || isAfter(inquiry.createdAt(), latest)
				|| isAfter(inquiry.updatedAt(), latest) || isAfter(inquiry.expiredAt(), latest)) {
			return Mono.just(new Result(Outcome.REFUSED, "stamped later than now"));
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
							LogSafe.of(ex.toString()));
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
							LogSafe.of(inquiry.templateId()), LogSafe.of(inquiry.id()), LogSafe.of(owner.referenceId()),
							LogSafe.of(owner.templateId()));
					return Mono.just(
							new Placed(new Result(Outcome.CONTRADICTED, "names another user or template"), null, null));
				}
				if (isImpossibleMove(owner.status(), inquiry.status())) {
					return Mono.just(new Placed(new Result(Outcome.REFUSED, "moves a " + LogSafe.of(owner.status())
							+ " inquiry back to " + inquiry.status().personaName()), null, null));
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
		return this.store.hint(event, referenceId, templateId, this.clock.instant())
			.map((outcome) -> new Placed(switch (outcome) {
				case HINTED -> new Result(Outcome.APPLIED, "the next read confirms it at Persona");
				case DUPLICATE -> new Result(Outcome.DUPLICATE, "already taken");
			}, referenceId, templateId));
	}

	private static boolean isAfter(Instant value, Instant latest) {
		return value != null && value.isAfter(latest);
	}

	/**
	 * Persona never moves a decided inquiry (completed, failed, approved, declined) back
	 * to created or pending; only an expired one is resumed.
	 */
	private static boolean isImpossibleMove(String cached, InquiryStatus to) {
		InquiryStatus from = InquiryStatus.fromPersona(cached);
		boolean decided = from == InquiryStatus.COMPLETED || from == InquiryStatus.FAILED
				|| from == InquiryStatus.APPROVED || from == InquiryStatus.DECLINED;
		return decided && (to == InquiryStatus.CREATED || to == InquiryStatus.PENDING);
	}

	private Mono<Void> audit(PersonaEvent event, PersonaInquiry inquiry, Placed placed, String via) {
		GateAudit.Event row = new GateAudit.Event(GateAudit.Action.EVENT_APPLIED, inquiry.id(),
				(inquiry.rawStatus() != null) ? inquiry.rawStatus() : inquiry.status().personaName(), null, null, null,
				event.name() + " " + event.id() + " (" + via + "; to be confirmed by a listing)");
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

		/** Taken: the user's gate waits for a listing to confirm the event's news. */
		APPLIED,
		/** The event was taken before. */
		DUPLICATE,
		/**
		 * It cannot be Persona's: stamped later than now, or a move Persona cannot make.
		 */
		REFUSED,
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
		MALFORMED,
		/**
		 * A field that could never be stored or logged ({@link EventFields}); nothing
		 * changed.
		 */
		INVALID

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
