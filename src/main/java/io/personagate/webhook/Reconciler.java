package io.personagate.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.persona.EventPage;
import io.personagate.persona.PersonaClient;
import io.personagate.persona.LogSafe;
import io.personagate.persona.PersonaEvent;
import io.personagate.store.ReconcileState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the cache true without webhooks: every {@code gate.reconcile.interval}, reads
 * Persona's inquiry events ({@code GET /events}, newest first) down to the cursor kept in
 * PostgreSQL, and applies each as its webhook would have been ({@link InquiryEvents}: at
 * most once per event id, never over newer knowledge). One instance at a time runs it,
 * holding a lease in PostgreSQL; a run that meets more than
 * {@code gate.reconcile.max-pages} pages stops there and the next run goes on from it.
 */
@Component
public class Reconciler implements SmartLifecycle {

	/**
	 * How far before the cursor each run reads again: an event can appear in the list a
	 * moment after one created later. What is read twice is applied once.
	 */
	static final Duration OVERLAP = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(Reconciler.class);

	private final ReconcileProperties properties;

	private final PersonaClient persona;

	private final InquiryEvents events;

	private final ReconcileState state;

	private final MeterRegistry meters;

	private final Clock clock;

	private volatile Disposable running;

	public Reconciler(ReconcileProperties properties, PersonaClient persona, InquiryEvents events, ReconcileState state,
			MeterRegistry meters, Clock clock) {
		this.properties = properties;
		this.persona = persona;
		this.events = events;
		this.state = state;
		this.meters = meters;
		this.clock = clock;
	}

	@Override
	public void start() {
		if (!this.properties.enabled()) {
			logger.info("Reconciliation with Persona's event list is off (gate.reconcile.interval is 0)");
			return;
		}
		Duration interval = this.properties.interval();
		this.running = Flux.interval(interval, interval)
			.onBackpressureDrop()
			.concatMap((tick) -> run().onErrorResume((ex) -> {
				logger.warn("Reconciliation run failed; the next one tries again: {}", LogSafe.of(ex.toString()));
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null && !this.running.isDisposed();
	}

	/**
	 * One run, if no other instance is running one: reads and applies the events since
	 * the cursor. Completes with how many events were applied, or empty if another
	 * instance held the lease.
	 */
	public Mono<Integer> run() {
		UUID owner = UUID.randomUUID();
		Instant startedAt = this.clock.instant();
		return this.state.acquire(owner, this.properties.lease())
			.flatMap((position) -> sweep(owner, position, startedAt).onErrorResume((ex) -> this.state.release(owner)
				.onErrorResume((releaseError) -> Mono.empty())
				.then(Mono.error(ex))));
	}

	private Mono<Integer> sweep(UUID owner, ReconcileState.Position position, Instant startedAt) {
		Sweep sweep;
		if (position.resumeAfter() != null) {
			sweep = new Sweep(owner, position.resumeUntil(), position.resumeTop());
			return page(sweep, position.resumeAfter(), 1);
		}
		Instant until = (position.cursorAt() != null) ? position.cursorAt().minus(OVERLAP)
				: startedAt.minus(this.properties.lookback());
		// before any event was seen, the cursor is where this first run began
		sweep = new Sweep(owner, until, (position.cursorAt() != null) ? null : startedAt.minus(OVERLAP));
		return page(sweep, null, 1);
	}

	private Mono<Integer> page(Sweep sweep, String after, int number) {
		return this.persona.listEvents(InquiryEvents.HANDLED, after, this.properties.pageSize()).flatMap((page) -> {
			List<PersonaEvent> fresh = new ArrayList<>();
			for (PersonaEvent event : page.events()) {
				if (event.createdAt() != null && event.createdAt().isBefore(sweep.until())) {
					break;
				}
				fresh.add(event);
			}
			sweep.sawNewest(page);
			boolean done = fresh.size() < page.events().size() || page.next() == null || page.next().equals(after);
			Collections.reverse(fresh);
			return Flux.fromIterable(fresh)
				.concatMap(this::apply)
				.reduce(0, Integer::sum)
				.map((applied) -> sweep.applied += applied)
				.then(Mono.defer(() -> {
					if (done) {
						return this.state.finish(sweep.owner(), sweep.top).thenReturn(sweep.applied);
					}
					if (number >= this.properties.maxPages()) {
						logger.warn("Reconciliation read {} pages of events and goes on from event {} in its next run",
								number, LogSafe.of(page.next()));
						return this.state.suspend(sweep.owner(), page.next(), sweep.until(), sweep.top)
							.thenReturn(sweep.applied);
					}
					return page(sweep, page.next(), number + 1);
				}));
		});
	}

	private Mono<Integer> apply(PersonaEvent event) {
		return this.events.apply(event, "reconciliation").map((result) -> {
			this.meters.counter("gate.reconcile.events", "outcome", result.outcome().name().toLowerCase()).increment();
			if (result.outcome() == InquiryEvents.Outcome.APPLIED) {
				logger.info("Reconciliation applied event {} {} for inquiry {}", LogSafe.of(event.id()),
						LogSafe.of(event.name()), (event.inquiry() != null) ? LogSafe.of(event.inquiry().id()) : null);
				return 1;
			}
			return 0;
		});
	}

	/** One sweep down the event list: how far it reads, what the cursor becomes. */
	private static final class Sweep {

		private final UUID owner;

		private final Instant until;

		private Instant top;

		private int applied;

		Sweep(UUID owner, Instant until, Instant top) {
			this.owner = owner;
			this.until = until;
			this.top = top;
		}

		UUID owner() {
			return this.owner;
		}

		Instant until() {
			return this.until;
		}

		/** The first page's newest event becomes the cursor once the sweep is done. */
		void sawNewest(EventPage page) {
			if (!page.events().isEmpty() && page.events().get(0).createdAt() != null
					&& (this.top == null || page.events().get(0).createdAt().isAfter(this.top))) {
				this.top = page.events().get(0).createdAt();
			}
		}

	}

}
