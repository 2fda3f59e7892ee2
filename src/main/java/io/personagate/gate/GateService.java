package io.personagate.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.config.CorrelationIds;
import io.personagate.config.GateProperties;
import io.personagate.persona.CreatedInquiry;
import io.personagate.persona.IdempotencyKey;
import io.personagate.persona.PersonaCaller;
import io.personagate.persona.InquiryStatus;
import io.personagate.persona.LogSafe;
import io.personagate.persona.PersonaClient;
import io.personagate.persona.PersonaException;
import io.personagate.persona.PersonaInquiry;
import io.personagate.store.CachedGate;
import io.personagate.store.GateAudit;
import io.personagate.store.GateChanges;
import io.personagate.store.GateMemory;
import io.personagate.store.GateStore;
import io.personagate.store.InquiryClaims;
import io.personagate.store.InquiryGrants;
import io.personagate.store.LastDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Service;

/**
 * Answers the gate for a user and template: from the cache while it is fresh, otherwise
 * from a new Persona listing; and, for {@code ensureInquiry}, makes sure the user has
 * exactly one inquiry to open. When Persona cannot be reached it serves a cached ALLOW or
 * DENY marked stale, and fails otherwise: it never lets anyone in, nor starts an inquiry,
 * on evidence it could not check.
 */
@Service
public class GateService {

	private static final Logger logger = LoggerFactory.getLogger(GateService.class);

	private final GatedTemplates templates;

	private final GateStore store;

	private final GateMemory memory;

	private final GateAudit audit;

	private final InquiryClaims claims;

	private final InquiryGrants grants;

	private final PersonaClient persona;

	private final GateChanges changes;

	private final GateProperties properties;

	private final MeterRegistry meters;

	private final Clock clock;

	private final ServedCounters counters;

	private final SessionTokens sessionTokens;

	private final TimeChecks timeChecks;

	private final Map<List<String>, Mono<CachedGate>> refreshes = new ConcurrentHashMap<>();

	/**
	 * How soon the gate lists again while an event's news is not in Persona's listing
	 * yet; subscribers are re-read then too.
	 */
	static final Duration RECHECK = Duration.ofSeconds(5);

	public GateService(GatedTemplates templates, GateStore store, GateMemory memory, GateAudit audit,
			InquiryClaims claims, InquiryGrants grants, PersonaClient persona, GateChanges changes,
			GateProperties properties, MeterRegistry meters, Clock clock, SessionTokens sessionTokens,
			TimeChecks timeChecks) {
		this.templates = templates;
		this.store = store;
		this.memory = memory;
		this.audit = audit;
		this.claims = claims;
		this.grants = grants;
		this.persona = persona;
		this.changes = changes;
		this.properties = properties;
		this.meters = meters;
		this.clock = clock;
		this.counters = new ServedCounters(meters);
		this.sessionTokens = sessionTokens;
		this.timeChecks = timeChecks;
	}

	/** The gate as it stands. Never creates or changes anything at Persona. */
	public Mono<VerificationGate> gate(String referenceId, String templateId) {
		return gate(referenceId, templateId, true);
	}

	private Mono<VerificationGate> gate(String referenceId, String templateId, boolean fromMemory) {
		return Mono.fromCallable(() -> this.templates.require(templateId)).flatMap((template) -> {
			if (!this.properties.cache().enabled()) {
				return uncached(referenceId, template);
			}
			return current(referenceId, template, fromMemory)
				.flatMap((evaluated) -> withSatisfiers(referenceId, template, evaluated, fromMemory))
				.flatMap((evaluated) -> served(referenceId, template, evaluated));
		}).contextWrite(new PersonaCaller(referenceId, templateId).asContext());
	}

	/**
	 * Persona's recipe as printed: list the user's inquiries at Persona on every check,
	 * keep nothing.
	 */
	private Mono<VerificationGate> uncached(String referenceId, GatedTemplate template) {
		Instant checkedAt = this.clock.instant();
		return this.persona.listInquiries(referenceId, template.id()).map((listed) -> {
			List<Inquiry> inquiries = listed.stream()
				.map((inquiry) -> new Inquiry(inquiry.id(), inquiry.status(), inquiry.createdAt(), inquiry.expiredAt(),
						inquiry.updatedAt(), inquiry.redactedAt(), inquiry.decisionedAt(), inquiry.completedAt(),
						inquiry.failedAt()))
				.toList();
			Verdict verdict = GatePolicy.decide(inquiries, template.policy(), checkedAt);
			this.meters
				.counter("gate.decisions", "template", template.id().value(), "decision", verdict.decision().name())
				.increment();
			this.meters.counter("gate.cache", "result", "disabled").increment();
			return VerificationGate.of(template.id().value(), verdict, checkedAt, false);
		});
	}

	/**
	 * The gate after making sure that a user who may start an inquiry has one: returns
	 * the one resumable inquiry, creating it only when Persona, checked inside the claim,
	 * confirms there is none.
	 */
	public Mono<EnsureInquiryPayload> ensureInquiry(String referenceId, String templateId, String clientMutationId) {
		return Mono.fromCallable(() -> {
			EnsureInquiryInput.checkClientMutationId(clientMutationId);
			return this.templates.require(templateId);
		})
			.flatMap((template) -> satisfiedElsewhere(referenceId, template)
				.map((evaluated) -> new Outcome(evaluated, false, null))
				.switchIfEmpty(Mono.defer(() -> this.claims
					.withClaim(referenceId, template.id().value(), (claim) -> getOrCreate(referenceId, template, claim))
					.flatMap((outcome) -> withSessionToken(referenceId, template, outcome))))
				.flatMap((outcome) -> served(referenceId, template, outcome.evaluated())
					.map((gate) -> payload(gate, outcome, clientMutationId))))
			.contextWrite(new PersonaCaller(referenceId, String.valueOf(templateId)).asContext());
	}

	/**
	 * The gate now, then again each time it changes, for as long as the caller listens.
	 * Changes come from any instance of the service (webhooks, listings, creates) through
	 * {@link GateChanges}, for this template and those that satisfy it; changes by time
	 * alone (a cooldown ends, an approval ages) from {@link TimeChecks}, at the first
	 * tick past the moment the last gate sent said it changes.
	 */
	public Flux<VerificationGate> watch(String referenceId, String templateId) {
		return Mono.fromCallable(() -> this.templates.require(templateId)).flatMapMany((template) -> {
			AtomicReference<Instant> turnsAt = new AtomicReference<>();
			Mono<VerificationGate> now = gate(referenceId, templateId);
			// after a change, read PostgreSQL: this instance's memory may not have heard
			// of it yet
			AtomicReference<Instant> pendingTurn = new AtomicReference<>();
			Mono<VerificationGate> again = Mono.defer(() -> {
				this.meters.counter("gate.subscriptions.rereads").increment();
				return gate(referenceId, templateId, false);
			}).onErrorResume((ex) -> {
				// the moment time changes the gate stays due: the next tick reads again
				Instant due = pendingTurn.getAndSet(null);
				if (due != null) {
					turnsAt.compareAndSet(null, due);
				}
				logger.warn("Could not re-read the gate of reference id {} after a change: {}", LogSafe.of(referenceId),
						LogSafe.of(ex.toString()));
				return Mono.empty();
			});
			// subscribed to changes before the first read, so nothing that happens
			// meanwhile is missed; the changes of one short burst are read once, and
			// those that come while a read runs once more after it
			Flux<Object> changed = Flux.fromIterable(template.policy().satisfiedBy())
				.startWith(template.id().value())
				.flatMap((id) -> this.changes.of(referenceId, id))
				.cast(Object.class);
			Flux<Object> timeMoved = this.timeChecks.ticks().filter((tick) -> {
				Instant at = turnsAt.get();
				if (at != null && !this.clock.instant().isBefore(at) && turnsAt.compareAndSet(at, null)) {
					pendingTurn.set(at);
					return true;
				}
				return false;
			}).cast(Object.class);
			return Flux.merge(changed, timeMoved)
				.bufferTimeout(Integer.MAX_VALUE, this.properties.subscriptions().coalesce())
				.map((burst) -> Boolean.FALSE)
				.onBackpressureLatest()
				.startWith(Boolean.TRUE)
				.concatMap((first) -> (first ? now : again).doOnNext((gate) -> {
					pendingTurn.set(null);
					turnsAt.set(gate.changesAt());
				}), 1)
				.distinctUntilChanged(GateService::withoutCheckedAt);
		});
	}

	/**
	 * Re-decides from the cache alone, after a webhook changed it, so that the audit
	 * trail records the change even when no client is asking.
	 */
	public Mono<Void> recordChange(String referenceId, String templateId) {
		if (!this.templates.isGated(templateId)) {
			return Mono.empty();
		}
		GatedTemplate template = this.templates.require(templateId);
		return this.store.load(referenceId, templateId).flatMap((cached) -> {
			Verdict verdict = verdict(referenceId, template, cached);
			return auditIfChanged(referenceId, template, cached, verdict, "event");
		});
	}

	/**
	 * Lists the user's inquiries at Persona now, whatever the cache holds, and serves the
	 * gate that follows; records who asked. Persona's failures are reported, not served
	 * around: the caller asked for Persona's word.
	 */
	public Mono<VerificationGate> refreshNow(String referenceId, String templateId, String actor, String note) {
		return Mono.fromCallable(() -> this.templates.require(templateId))
			.flatMap((template) -> refresh(referenceId, template).flatMap((listed) -> {
				Verdict verdict = verdict(referenceId, template, listed);
				GateAudit.Event event = event(GateAudit.Action.REFRESHED, verdict, actor, note);
				return withCorrelationId(
						(correlationId) -> this.audit.record(referenceId, templateId, event, correlationId))
					.then(served(referenceId, template, new Evaluated(listed, verdict, Source.PERSONA)));
			}));
	}

	/**
	 * Lets a user whose gate is DENY start one more inquiry: the gate is START until the
	 * next inquiry is created for them. Records who granted it and why.
	 * @throws GrantRefusedException (as the Mono's error) if the gate is not DENY
	 */
	public Mono<VerificationGate> grantAttempt(String referenceId, String templateId, String actor, String reason) {
		return grantAttempt(referenceId, templateId, actor, reason, null);
	}

	/**
	 * {@link #grantAttempt(String, String, String, String)}, the grant lapsing at
	 * {@code expiresAt} if no inquiry was created with it by then ({@code null}: never).
	 */
	public Mono<VerificationGate> grantAttempt(String referenceId, String templateId, String actor, String reason,
			Instant expiresAt) {
		return gate(referenceId, templateId).flatMap((before) -> {
			if (expiresAt != null && !expiresAt.isAfter(this.clock.instant())) {
				return Mono.error(new InvalidInputException("expiresAt must be in the future"));
			}
			if (before.decision() != GateDecision.DENY) {
				return Mono.error(new GrantRefusedException(referenceId, before));
			}
			GateAudit.Event event = new GateAudit.Event(GateAudit.Action.ATTEMPT_GRANTED, before.inquiryId(),
					(before.inquiryStatus() != null) ? before.inquiryStatus().personaName() : null,
					before.decision().name(), before.reason().name(), actor, reason, expiresAt);
			logger.info("Attempt granted to reference id {} on template {} by {}", LogSafe.of(referenceId),
					LogSafe.of(templateId), LogSafe.of(actor));
			return withCorrelationId((correlationId) -> this.grants.grant(referenceId, templateId, this.clock.instant(),
					event, correlationId))
				// from PostgreSQL: this instance's memory may not have heard of the grant
				// yet
				.then(gate(referenceId, templateId, false));
		});
	}

	/**
	 * The verdict with the templates that satisfy this one, each decided by its own
	 * policy, when this one does not let the user in.
	 */
	private Mono<Evaluated> withSatisfiers(String referenceId, GatedTemplate template, Evaluated evaluated,
			boolean fromMemory) {
		Verdict own = evaluated.verdict();
		if (template.policy().satisfiedBy().isEmpty()
				|| (own.decision() == GateDecision.ALLOW && own.validUntil() == null)) {
			return Mono.just(evaluated);
		}
		return satisfiers(referenceId, template, fromMemory).map((verdicts) -> new Evaluated(evaluated.cached(),
				GatePolicy.decide(evaluated.verdict(), verdicts), evaluated.source()));
	}

	/**
	 * The gate when a template that satisfies this one lets the user in, so that
	 * ensureInquiry creates nothing; empty otherwise.
	 */
	private Mono<Evaluated> satisfiedElsewhere(String referenceId, GatedTemplate template) {
		if (template.policy().satisfiedBy().isEmpty()) {
			return Mono.empty();
		}
		return satisfiers(referenceId, template, true)
			.filter((verdicts) -> verdicts.stream().anyMatch((verdict) -> verdict.decision() == GateDecision.ALLOW))
			.flatMap((verdicts) -> current(referenceId, template, true)
				.map((evaluated) -> new Evaluated(evaluated.cached(), GatePolicy.decide(evaluated.verdict(), verdicts),
						evaluated.source())));
	}

	/**
	 * The verdicts of the templates that satisfy this one; one Persona could not confirm
	 * counts for nothing.
	 */
	private Mono<List<Verdict>> satisfiers(String referenceId, GatedTemplate template, boolean fromMemory) {
		return Flux.fromIterable(template.policy().satisfiedBy())
			.concatMap((id) -> current(referenceId, this.templates.require(id), fromMemory).map(Evaluated::verdict)
				.onErrorResume(PersonaException.class, (ex) -> {
					logger.warn("Could not check template {} that satisfies {} for reference id {}: {}", id,
							template.id(), LogSafe.of(referenceId), LogSafe.of(ex.getMessage()));
					return Mono.empty();
				}))
			.collectList();
	}

	private static List<Object> withoutCheckedAt(VerificationGate gate) {
		return Arrays.asList(gate.decision(), gate.reason(), gate.inquiryId(), gate.inquiryStatus(), gate.stale(),
				gate.retryAt(), gate.validUntil(), gate.attemptsLeft());
	}

	/**
	 * The gate from this instance's memory when it holds a fresh entry, else from
	 * PostgreSQL when its entry is fresh, else from a Persona listing. Only an entry
	 * whose decision is already recorded is kept in memory, so that answering from memory
	 * never writes.
	 */
	private Mono<Evaluated> current(String referenceId, GatedTemplate template, boolean fromMemory) {
		String templateId = template.id().value();
		CachedGate remembered = fromMemory ? this.memory.get(referenceId, templateId) : null;
		if (remembered != null) {
			Verdict verdict = verdict(referenceId, template, remembered);
			if (isFresh(remembered, verdict) && recorded(remembered, verdict)) {
				return Mono.just(new Evaluated(remembered, verdict, Source.MEMORY));
			}
		}
		return Mono.defer(() -> {
			GateMemory.Ticket ticket = this.memory.ticket();
			return this.store.load(referenceId, templateId).map((cached) -> new Ticketed(cached, ticket));
		}).flatMap((ticketed) -> {
			CachedGate cached = ticketed.cached();
			Verdict verdict = verdict(referenceId, template, cached);
			if (isFresh(cached, verdict)) {
				if (recorded(cached, verdict)) {
					this.memory.remember(referenceId, templateId, cached, ticketed.ticket());
				}
				return Mono.just(new Evaluated(cached, verdict, Source.CACHE));
			}
			return sharedRefresh(referenceId, template)
				.map((listed) -> new Evaluated(listed, verdict(referenceId, template, listed), Source.PERSONA))
				.onErrorResume(PersonaException.class, (ex) -> staleOrFail(referenceId, template, cached, ex));
		});
	}

	/**
	 * Concurrent refreshes for the same user and template on this instance share one
	 * Persona listing.
	 */
	private Mono<CachedGate> sharedRefresh(String referenceId, GatedTemplate template) {
		List<String> key = List.of(referenceId, template.id().value());
		return Mono.deferContextual((context) -> {
			Sinks.One<CachedGate> result = Sinks.one();
			Mono<CachedGate> candidate = result.asMono();
			Mono<CachedGate> running = this.refreshes.putIfAbsent(key, candidate);
			if (running != null) {
				return running;
			}
			// subscribed here, not by the callers: the listing runs to its end even if
			// every caller gives up,
			// so its result still lands in the cache; a listing that fails at once is
			// removed at once too
			refreshUnlessFresh(referenceId, template).doFinally((signal) -> this.refreshes.remove(key, candidate))
				.contextWrite(context)
				.subscribe(result::tryEmitValue, result::tryEmitError, result::tryEmitEmpty);
			return candidate;
		});
	}

	private Mono<Evaluated> staleOrFail(String referenceId, GatedTemplate template, CachedGate cached,
			PersonaException ex) {
		Verdict verdict = verdict(referenceId, template, cached);
		boolean degradable = ex instanceof PersonaException.Unavailable || ex instanceof PersonaException.RateLimited
				|| ex instanceof PersonaException.Unauthorized || ex instanceof PersonaException.CallerRateLimited;
		// an event that may take an allowed user out, and that Persona could not confirm
		// or deny: no ALLOW on the old evidence
		boolean contested = verdict.decision() == GateDecision.ALLOW
				&& cached.awaitsConfirmation(this.clock.instant(), this.properties.cache().listingLag());
		if (degradable && !contested && cached.checkedAt() != null
				&& (verdict.decision() == GateDecision.ALLOW || verdict.decision() == GateDecision.DENY)) {
			logger.warn("Persona unavailable ({}); serving the cached {} for reference id {} as stale",
					LogSafe.of(ex.getMessage()), verdict.decision(), LogSafe.of(referenceId));
			return Mono.just(new Evaluated(cached, verdict, Source.STALE));
		}
		return Mono.error(ex);
	}

	/**
	 * A listing, unless one that finished after the caller read the cache made it fresh:
	 * a caller that read just before a shared listing ended would otherwise start a
	 * second one.
	 */
	private Mono<CachedGate> refreshUnlessFresh(String referenceId, GatedTemplate template) {
		return this.store.load(referenceId, template.id().value())
			.flatMap((cached) -> isFresh(cached, verdict(referenceId, template, cached)) ? Mono.just(cached)
					: refresh(referenceId, template));
	}

	private Mono<CachedGate> refresh(String referenceId, GatedTemplate template) {
		Instant checkedAt = this.clock.instant();
		return this.persona.listInquiries(referenceId, template.id())
			.flatMap((listed) -> this.store.saveListing(referenceId, template.id().value(), listed, checkedAt))
			.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())))
			.doOnNext((cached) -> {
				if (cached.awaitsConfirmation(this.clock.instant(), this.properties.cache().listingLag())) {
					remindLater(referenceId, template.id().value());
				}
			});
	}

	/**
	 * Tells every instance again, after {@link #RECHECK}, that the gate may have changed,
	 * so that subscribers read it again while an event's news is not in the listing yet.
	 * One reminder per listing, and listings at most every {@code RECHECK}.
	 */
	private void remindLater(String referenceId, String templateId) {
		Mono.delay(RECHECK)
			.then(this.store.remind(referenceId, templateId))
			.subscribe(null, (ex) -> logger.debug("Could not remind subscribers of reference id {}: {}",
					LogSafe.of(referenceId), ex.toString()));
	}

	private Mono<Outcome> getOrCreate(String referenceId, GatedTemplate template, InquiryClaims.Claim claim) {
		return this.store.load(referenceId, template.id().value()).flatMap((cached) -> {
			Verdict cachedVerdict = verdict(referenceId, template, cached);
			if (isFresh(cached, cachedVerdict) && cachedVerdict.decision() != GateDecision.START) {
				return Mono.just(new Outcome(new Evaluated(cached, cachedVerdict, Source.CACHE), false, null));
			}
			// inside the claim, always ask Persona before creating: never a shared or
			// earlier listing
			return refresh(referenceId, template).flatMap((listed) -> {
				Verdict verdict = verdict(referenceId, template, listed);
				if (verdict.decision() != GateDecision.START) {
					// whatever an unanswered create did is in the listing now: its key is
					// of
					// no more use
					return forgetCreateKey(claim)
						.thenReturn(new Outcome(new Evaluated(listed, verdict, Source.PERSONA), false, null));
				}
				if (claim.createKey() != null && claim.createKeyAge() != null
						&& claim.createKeyAge().compareTo(this.properties.cache().listingLag()) > 0) {
					// a listing well after the kept key was first sent shows nothing it
					// made:
					// Persona stored a failure for it, or answered it with another user's
					// inquiry, and it will answer the same way for a day
					logger.info(
							"The create key kept for reference id {} on template {} made nothing a listing shows "
									+ "{} s after it was sent; creating with a fresh key",
							LogSafe.of(referenceId), template.id(), claim.createKeyAge().toSeconds());
					return this.claims.clearCreateKey(claim)
						.then(Mono.defer(() -> create(referenceId, template, listed, claim, null)));
				}
				return create(referenceId, template, listed, claim, claim.createKey());
			})
				.onErrorResume(PersonaException.class, (ex) -> staleOrFail(referenceId, template, cached, ex)
					.map((evaluated) -> new Outcome(evaluated, false, null)));
		});
	}

	private Mono<Void> forgetCreateKey(InquiryClaims.Claim claim) {
		return (claim.createKey() != null) ? this.claims.clearCreateKey(claim) : Mono.empty();
	}

	/**
	 * Creates the inquiry, sending again the key of an earlier create whose answer never
	 * arrived ({@code repeatedKey}), else a fresh one. Every key is kept on the claim
	 * before it is sent, and cleared once the inquiry it created is saved.
	 */
	private Mono<Outcome> create(String referenceId, GatedTemplate template, CachedGate listed,
			InquiryClaims.Claim claim, String repeatedKey) {
		IdempotencyKey.Journal journal = new IdempotencyKey.Journal() {

			@Override
			public Mono<Void> sending(String key) {
				return GateService.this.claims.recordCreateKey(claim, key);
			}

			@Override
			public Mono<Void> spent(String key) {
				return GateService.this.claims.clearCreateKey(claim);
			}

		};
		IdempotencyKey key = (repeatedKey != null) ? IdempotencyKey.repeating(repeatedKey, journal)
				: IdempotencyKey.fresh(journal);
		return this.persona.createInquiry(referenceId, template.id(), key, claim.remaining()).flatMap((created) -> {
			PersonaException.Unavailable foreign = notTheUsers("create inquiry", created, null, referenceId, template);
			if (foreign != null) {
				// Persona's answer to this key will not change: the key stays kept, so
				// that no
				// other key creates a second inquiry before a listing shows what exists
				return Mono.error(foreign);
			}
			boolean replayedEarlier = repeatedKey != null && listed.records()
				.stream()
				.anyMatch((record) -> record.inquiryId().equals(created.inquiry().id()));
			if (replayedEarlier) {
				// the kept key had created an inquiry the listing already shows, and that
				// the gate has moved past: Persona replayed that old create
				logger.info("The kept create key of reference id {} replayed inquiry {}; creating with a fresh key",
						LogSafe.of(referenceId), LogSafe.of(created.inquiry().id()));
				return this.claims.clearCreateKey(claim)
					.then(Mono.defer(() -> create(referenceId, template, listed, claim, null)));
			}
			return this.store
				.saveCreatedInquiry(referenceId, template.id().value(), created.inquiry(), this.clock.instant())
				.flatMap((grantors) -> this.claims.clearCreateKey(claim)
					.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())))
					.flatMap((cached) -> {
						Verdict verdict = verdict(referenceId, template, cached);
						logger.info("Created inquiry {} for reference id {} on template {}{}",
								LogSafe.of(created.inquiry().id()), LogSafe.of(referenceId), template.id(),
								(repeatedKey != null) ? " (a lost create, repeated)" : "");
						String note = grantors.isEmpty() ? null
								: "used the attempt granted by " + String.join(", ", grantors);
						return auditInquiry(GateAudit.Action.INQUIRY_CREATED, referenceId, template, created, verdict,
								note)
							.thenReturn(new Outcome(new Evaluated(cached, verdict, Source.PERSONA), true,
									created.sessionToken()));
					}));
		});
	}

	/**
	 * Why the inquiry Persona answered a create or resume with is not evidence about this
	 * user on this template (another id than the one resumed, another user or template,
	 * an id, status or time no listing would be trusted with), or {@code null} if it is.
	 */
	private static PersonaException.Unavailable notTheUsers(String operation, CreatedInquiry answer, String expectedId,
			String referenceId, GatedTemplate template) {
		PersonaInquiry inquiry = answer.inquiry();
		boolean ours = (expectedId == null || expectedId.equals(inquiry.id()))
				&& PersonaInquiry.isUsableId(inquiry.id()) && referenceId.equals(inquiry.referenceId())
				&& template.id().value().equals(inquiry.templateId())
				&& PersonaInquiry.isUsableText(inquiry.rawStatus()) && inquiry.hasUsableTimes();
		if (ours) {
			return null;
		}
		return new PersonaException.Unavailable(operation + ": Persona answered with inquiry "
				+ LogSafe.of(inquiry.id()) + " of reference id " + LogSafe.of(inquiry.referenceId()) + " on template "
				+ LogSafe.of(inquiry.templateId()) + ", not the one asked for",
				PersonaException.Unavailable.Kind.BAD_RESPONSE, 200, null, null);
	}

	private Mono<Outcome> withSessionToken(String referenceId, GatedTemplate template, Outcome outcome) {
		Verdict verdict = outcome.evaluated().verdict();
		if (verdict.decision() != GateDecision.RESUME || outcome.sessionToken() != null) {
			return Mono.just(outcome);
		}
		Inquiry inquiry = verdict.inquiry();
		if (inquiry.status() != InquiryStatus.PENDING && inquiry.status() != InquiryStatus.EXPIRED) {
			return Mono.just(outcome);
		}
		String templateId = template.id().value();
		if (inquiry.status() == InquiryStatus.PENDING) {
			String kept = this.sessionTokens.get(referenceId, templateId, inquiry);
			if (kept != null) {
				return Mono.just(new Outcome(outcome.evaluated(), outcome.created(), kept));
			}
		}
		return this.persona.resumeInquiry(inquiry.id()).flatMap((resumed) -> {
			PersonaException.Unavailable foreign = notTheUsers("resume inquiry", resumed, inquiry.id(), referenceId,
					template);
			return (foreign != null) ? Mono.<CreatedInquiry>error(foreign) : Mono.just(resumed);
		})
			.flatMap((resumed) -> this.store
				.saveInquiry(referenceId, template.id().value(), resumed.inquiry(), this.clock.instant())
				.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())))
				.flatMap((cached) -> {
					Verdict after = verdict(referenceId, template, cached);
					if (after.decision() == GateDecision.RESUME && after.inquiry().id().equals(inquiry.id())) {
						this.sessionTokens.keep(referenceId, templateId, after.inquiry(), resumed.sessionToken());
					}
					logger.info("Resumed inquiry {} for reference id {} on template {}", LogSafe.of(inquiry.id()),
							LogSafe.of(referenceId), template.id());
					return auditInquiry(GateAudit.Action.INQUIRY_RESUMED, referenceId, template, resumed, after, null)
						.thenReturn(new Outcome(new Evaluated(cached, after, outcome.evaluated().source()),
								outcome.created(), resumed.sessionToken()));
				}))
			.onErrorResume(PersonaException.Conflict.class, (ex) -> {
				logger.info("Inquiry {} could no longer be resumed ({}); re-reading the user's inquiries",
						LogSafe.of(inquiry.id()), LogSafe.of(ex.getMessage()));
				return refresh(referenceId, template).map((cached) -> new Outcome(
						new Evaluated(cached, verdict(referenceId, template, cached), Source.PERSONA),
						outcome.created(), null));
			});
	}

	/**
	 * Counts and audits a decision as it is served (logging it only when it changed), and
	 * turns it into its GraphQL shape.
	 */
	private Mono<VerificationGate> served(String referenceId, GatedTemplate template, Evaluated evaluated) {
		Verdict verdict = evaluated.verdict();
		this.counters.decision(template.id().value(), verdict.decision()).increment();
		this.counters.cache(evaluated.source()).increment();
		if (evaluated.source() == Source.MEMORY) {
			this.counters.memoryHits().increment();
		}
		Instant confirmedAt = evaluated.cached().confirmedAt();
		Instant checkedAt = (confirmedAt != null) ? confirmedAt : this.clock.instant();
		VerificationGate gate = VerificationGate.of(template.id().value(), verdict, checkedAt,
				evaluated.source() == Source.STALE);
		return auditIfChanged(referenceId, template, evaluated.cached(), verdict, evaluated.source().label)
			.thenReturn(gate);
	}

	private static LastDecision decisionOf(Verdict verdict) {
		Inquiry inquiry = verdict.inquiry();
		return new LastDecision(verdict.decision().name(), verdict.reason().name(),
				(inquiry != null) ? inquiry.id() : null);
	}

	/** Whether the cache already records this decision as the one last served. */
	private static boolean recorded(CachedGate cached, Verdict verdict) {
		return decisionOf(verdict).equals(cached.lastDecision());
	}

	/**
	 * Records, audits and logs the decision when it is not the one last served: the one
	 * log line of a gate request, and only of one that changed something.
	 */
	private Mono<Void> auditIfChanged(String referenceId, GatedTemplate template, CachedGate cached, Verdict verdict,
			String source) {
		if (decisionOf(verdict).equals(cached.lastDecision())) {
			return Mono.empty();
		}
		GateAudit.Event event = event(GateAudit.Action.DECISION_CHANGED, verdict, null, null);
		return withCorrelationId(
				(correlationId) -> this.audit.decisionServed(referenceId, template.id().value(), event, correlationId)
					.doOnNext((changed) -> {
						if (changed) {
							Inquiry inquiry = verdict.inquiry();
							logger.info("Gate {} ({}) for reference id {} on template {}, inquiry {} [{}]",
									verdict.decision(), verdict.reason(), LogSafe.of(referenceId), template.id(),
									(inquiry != null) ? LogSafe.of(inquiry.id()) : "-", source);
						}
					})
					.then());
	}

	private Mono<Void> auditInquiry(GateAudit.Action action, String referenceId, GatedTemplate template,
			CreatedInquiry inquiry, Verdict verdict, String note) {
		GateAudit.Event event = new GateAudit.Event(action, inquiry.inquiry().id(),
				(inquiry.inquiry().rawStatus() != null) ? inquiry.inquiry().rawStatus()
						: inquiry.inquiry().status().personaName(),
				verdict.decision().name(), verdict.reason().name(), null, note);
		return withCorrelationId(
				(correlationId) -> this.audit.record(referenceId, template.id().value(), event, correlationId));
	}

	/** An audit row about the gate as {@code verdict} decides it. */
	private static GateAudit.Event event(GateAudit.Action action, Verdict verdict, String actor, String note) {
		Inquiry inquiry = verdict.inquiry();
		return new GateAudit.Event(action, (inquiry != null) ? inquiry.id() : null,
				(inquiry != null) ? inquiry.status().personaName() : null, verdict.decision().name(),
				verdict.reason().name(), actor, note);
	}

	private static Mono<Void> withCorrelationId(Function<String, Mono<Void>> work) {
		return CorrelationIds.current()
			.defaultIfEmpty("")
			.flatMap((correlationId) -> work.apply(correlationId.isEmpty() ? null : correlationId));
	}

	/** Whether {@code cached}, decided as {@code verdict}, may still be served. */
	private boolean isFresh(CachedGate cached, Verdict verdict) {
		if (cached.checkedAt() == null) {
			return false;
		}
		Instant now = this.clock.instant();
		if (cached.awaitsConfirmation(now, this.properties.cache().listingLag())) {
			// a listing since the event did not show its news yet: list again, but not on
			// every read
			return !cached.checkedAt().isBefore(cached.hint().at()) && cached.checkedAt().plus(RECHECK).isAfter(now);
		}
		if (verdict.isFinal()) {
			return this.properties.cache().decidedTtl() == null
					|| cached.checkedAt().plus(this.properties.cache().decidedTtl()).isAfter(now);
		}
		return cached.checkedAt().plus(this.properties.cache().ttl()).isAfter(now);
	}

	private Verdict verdict(String referenceId, GatedTemplate template, CachedGate cached) {
		List<Grant> grants = cached.grants()
			.stream()
			.map((grant) -> new Grant(grant.grantedAt(), grant.inquiryId(), grant.expiresAt()))
			.toList();
		return GatePolicy.decide(cached.inquiries(), grants, template.policy(), this.clock.instant());
	}

	private static EnsureInquiryPayload payload(VerificationGate gate, Outcome outcome, String clientMutationId) {
		boolean resume = gate.decision() == GateDecision.RESUME;
		return new EnsureInquiryPayload(clientMutationId, gate, resume ? gate.inquiryId() : null,
				resume ? outcome.sessionToken() : null, outcome.created());
	}

	/** Where a served decision came from. */
	/**
	 * The counters every served gate increments, looked up in the registry once each
	 * rather than on every request (a lookup builds and filters the meter's id).
	 */
	private static final class ServedCounters {

		private final MeterRegistry meters;

		private final Map<String, Counter[]> decisions = new ConcurrentHashMap<>();

		private final Map<Source, Counter> cache = new EnumMap<>(Source.class);

		private final Counter memoryHits;

		ServedCounters(MeterRegistry meters) {
			this.meters = meters;
			for (Source source : Source.values()) {
				this.cache.put(source, meters.counter("gate.cache", "result", source.metric));
			}
			this.memoryHits = meters.counter("gate.cache.memory.hits");
		}

		Counter decision(String templateId, GateDecision decision) {
			Counter[] byDecision = this.decisions.computeIfAbsent(templateId,
					(id) -> new Counter[GateDecision.values().length]);
			Counter counter = byDecision[decision.ordinal()];
			if (counter == null) {
				counter = this.meters.counter("gate.decisions", "template", templateId, "decision", decision.name());
				byDecision[decision.ordinal()] = counter;
			}
			return counter;
		}

		Counter cache(Source source) {
			return this.cache.get(source);
		}

		Counter memoryHits() {
			return this.memoryHits;
		}

	}

	private enum Source {

		/** This instance's memory of the cache. */
		MEMORY("hit", "hit, memory"),
		/** The cache in PostgreSQL. */
		CACHE("hit", "hit"), PERSONA("miss", "miss"), STALE("stale", "stale");

		/** The {@code result} tag of {@code gate.cache}. */
		private final String metric;

		/** As the decision's log line says it. */
		private final String label;

		Source(String metric, String label) {
			this.metric = metric;
			this.label = label;
		}

	}

	private record Evaluated(CachedGate cached, Verdict verdict, Source source) {
	}

	private record Ticketed(CachedGate cached, GateMemory.Ticket ticket) {
	}

	private record Outcome(Evaluated evaluated, boolean created, String sessionToken) {
	}

}
