package io.personagate.gate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import io.personagate.config.GateProperties;
import io.personagate.persona.CreatedInquiry;
import io.personagate.persona.IdempotencyKeys;
import io.personagate.persona.InquiryStatus;
import io.personagate.persona.PersonaClient;
import io.personagate.persona.PersonaException;
import io.personagate.persona.PersonaInquiry;
import io.personagate.store.CachedGate;
import io.personagate.store.GateChanges;
import io.personagate.store.GateStore;
import io.personagate.store.InquiryClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Answers the gate for a user and template: from the cache while it is fresh, otherwise from a new
 * Persona listing; and, for {@code ensureInquiry}, makes sure the user has exactly one inquiry to open.
 */
@Service
public class GateService {

	private static final Logger logger = LoggerFactory.getLogger(GateService.class);

	private final GatedTemplates templates;

	private final GateStore store;

	private final InquiryClaims claims;

	private final PersonaClient persona;

	private final GateProperties properties;

	private final GateChanges changes;

	private final Clock clock;

	public GateService(GatedTemplates templates, GateStore store, InquiryClaims claims, PersonaClient persona,
			GateChanges changes, GateProperties properties, Clock clock) {
		this.changes = changes;
		this.templates = templates;
		this.store = store;
		this.claims = claims;
		this.persona = persona;
		this.properties = properties;
		this.clock = clock;
	}

	/** The gate as it stands. Never creates or changes anything at Persona. */
	public Mono<VerificationGate> gate(String referenceId, String templateId) {
		return Mono.fromCallable(() -> this.templates.require(templateId))
			.flatMap((template) -> current(referenceId, template)
				.map((cached) -> view(template, cached, verdict(referenceId, template, cached))));
	}

	/**
	 * The gate after making sure that a user who may start an inquiry has one: returns the one
	 * resumable inquiry, creating it only when Persona, checked inside the claim, confirms there is none.
	 */
	public Mono<EnsureInquiryPayload> ensureInquiry(String referenceId, String templateId, String clientMutationId) {
		return Mono.fromCallable(() -> this.templates.require(templateId))
			.flatMap((template) -> this.claims
				.withClaim(referenceId, template.id().value(), () -> getOrCreate(referenceId, template))
				.flatMap((outcome) -> withSessionToken(referenceId, template, outcome))
				.map((outcome) -> payload(template, outcome, clientMutationId)));
	}

	/**
	 * The gate now, then again each time it changes, for as long as the caller listens. Changes come from
	 * any instance of the service (webhooks, listings, creates) through {@link GateChanges}.
	 */
	public Flux<VerificationGate> watch(String referenceId, String templateId) {
		return Mono.fromCallable(() -> this.templates.require(templateId)).flatMapMany((template) -> {
			Mono<VerificationGate> now = current(referenceId, template)
				.map((cached) -> view(template, cached, verdict(referenceId, template, cached)));
			Mono<VerificationGate> again = now.onErrorResume((ex) -> {
				logger.warn("Could not re-read the gate of reference id {} after a change: {}", referenceId,
						ex.toString());
				return Mono.empty();
			});
			// subscribed to changes before the first read, so nothing that happens meanwhile is missed
			return this.changes.of(referenceId, template.id().value())
				.map((change) -> Boolean.FALSE)
				.onBackpressureLatest()
				.startWith(Boolean.TRUE)
				.concatMap((first) -> first ? now : again, 1)
				.distinctUntilChanged(GateService::withoutCheckedAt);
		});
	}

	private static List<Object> withoutCheckedAt(VerificationGate gate) {
		return Arrays.asList(gate.decision(), gate.reason(), gate.inquiryId(), gate.inquiryStatus());
	}

	private Mono<CachedGate> current(String referenceId, GatedTemplate template) {
		return this.store.load(referenceId, template.id().value())
			.flatMap((cached) -> isFresh(referenceId, template, cached) ? Mono.just(cached)
					: refresh(referenceId, template));
	}

	private Mono<CachedGate> refresh(String referenceId, GatedTemplate template) {
		Instant checkedAt = this.clock.instant();
		return this.persona.listInquiries(referenceId, template.id())
			.map((listed) -> belongingTo(referenceId, template, listed))
			.flatMap((listed) -> this.store.saveListing(referenceId, template.id().value(), listed, checkedAt))
			.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())));
	}

	private Mono<Outcome> getOrCreate(String referenceId, GatedTemplate template) {
		return this.store.load(referenceId, template.id().value()).flatMap((cached) -> {
			if (isFresh(referenceId, template, cached)
					&& verdict(referenceId, template, cached).decision() != GateDecision.START) {
				return Mono.just(new Outcome(cached, verdict(referenceId, template, cached), false, null));
			}
			return refresh(referenceId, template).flatMap((listed) -> {
				Verdict verdict = verdict(referenceId, template, listed);
				if (verdict.decision() != GateDecision.START) {
					return Mono.just(new Outcome(listed, verdict, false, null));
				}
				return create(referenceId, template, listed);
			});
		});
	}

	private Mono<Outcome> create(String referenceId, GatedTemplate template, CachedGate listed) {
		int ordinal = listed.records().size() + 1;
		String key = IdempotencyKeys.forCreate(referenceId, template.id(), ordinal);
		return this.persona.createInquiry(referenceId, template.id(), key)
			.flatMap((created) -> this.store
				.saveInquiry(referenceId, template.id().value(), created.inquiry(), this.clock.instant())
				.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())))
				.map((cached) -> {
					logger.info("Created inquiry {} for reference id {} on template {} (attempt {})",
							created.inquiry().id(), referenceId, template.id(), ordinal);
					return new Outcome(cached, verdict(referenceId, template, cached), true, created.sessionToken());
				}));
	}

	private Mono<Outcome> withSessionToken(String referenceId, GatedTemplate template, Outcome outcome) {
		Verdict verdict = outcome.verdict();
		if (verdict.decision() != GateDecision.RESUME || outcome.sessionToken() != null) {
			return Mono.just(outcome);
		}
		Inquiry inquiry = verdict.inquiry();
		if (inquiry.status() != InquiryStatus.PENDING && inquiry.status() != InquiryStatus.EXPIRED) {
			return Mono.just(outcome);
		}
		String version = (inquiry.updatedAt() != null) ? inquiry.updatedAt().toString() : inquiry.status().name();
		return this.persona.resumeInquiry(inquiry.id(), IdempotencyKeys.forResume(inquiry.id(), version))
			.flatMap((resumed) -> this.store
				.saveInquiry(referenceId, template.id().value(), resumed.inquiry(), this.clock.instant())
				.then(Mono.defer(() -> this.store.load(referenceId, template.id().value())))
				.map((cached) -> new Outcome(cached, verdict(referenceId, template, cached), outcome.created(),
						resumed.sessionToken())))
			.onErrorResume(PersonaException.Conflict.class, (ex) -> {
				logger.info("Inquiry {} could no longer be resumed ({}); re-reading the user's inquiries",
						inquiry.id(), ex.getMessage());
				return refresh(referenceId, template).map((cached) -> new Outcome(cached,
						verdict(referenceId, template, cached), outcome.created(), null));
			});
	}

	private boolean isFresh(String referenceId, GatedTemplate template, CachedGate cached) {
		if (cached.checkedAt() == null) {
			return false;
		}
		if (verdict(referenceId, template, cached).isFinal()) {
			return true;
		}
		return cached.checkedAt().plus(this.properties.cache().ttl()).isAfter(this.clock.instant());
	}

	private Verdict verdict(String referenceId, GatedTemplate template, CachedGate cached) {
		List<Inquiry> inquiries = cached.inquiries();
		Verdict verdict = GatePolicy.decide(inquiries, template.policy(), this.clock.instant());
		if (verdict.reason() == GateReason.UNKNOWN_STATUS) {
			cached.records()
				.stream()
				.filter((record) -> InquiryStatus.fromPersona(record.status()) == InquiryStatus.UNKNOWN)
				.forEach((record) -> logger.warn(
						"Inquiry {} of reference id {} has status '{}', unknown to this service: the gate blocks until it is understood",
						record.inquiryId(), referenceId, record.status()));
		}
		return verdict;
	}

	private List<PersonaInquiry> belongingTo(String referenceId, GatedTemplate template, List<PersonaInquiry> listed) {
		return listed.stream().filter((inquiry) -> {
			boolean ours = (inquiry.referenceId() == null || inquiry.referenceId().equals(referenceId))
					&& (inquiry.templateId() == null || inquiry.templateId().equals(template.id().value()));
			if (!ours) {
				logger.warn("Persona listed inquiry {} for another user or template; ignoring it", inquiry.id());
			}
			return ours;
		}).toList();
	}

	private VerificationGate view(GatedTemplate template, CachedGate cached, Verdict verdict) {
		Inquiry inquiry = verdict.inquiry();
		Instant checkedAt = (cached.checkedAt() != null) ? cached.checkedAt() : this.clock.instant();
		return new VerificationGate(template.id().value(), verdict.decision(), verdict.reason(),
				(inquiry != null) ? inquiry.id() : null, (inquiry != null) ? inquiry.status() : null,
				checkedAt.atOffset(ZoneOffset.UTC));
	}

	private EnsureInquiryPayload payload(GatedTemplate template, Outcome outcome, String clientMutationId) {
		VerificationGate gate = view(template, outcome.cached(), outcome.verdict());
		boolean resume = outcome.verdict().decision() == GateDecision.RESUME;
		return new EnsureInquiryPayload(clientMutationId, gate, resume ? gate.inquiryId() : null,
				resume ? outcome.sessionToken() : null, outcome.created());
	}

	private record Outcome(CachedGate cached, Verdict verdict, boolean created, String sessionToken) {
	}

}
