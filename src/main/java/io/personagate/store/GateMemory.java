package io.personagate.store;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.personagate.config.GateProperties;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * This instance's copy of cache entries it read from PostgreSQL, so that a cached answer
 * costs no database round trip. PostgreSQL stays the cache that counts: an entry here is
 * dropped when any instance changes it ({@link GateChanges}), everything is dropped when
 * listening starts again, and nothing here is used while this instance is not listening.
 * <p>
 * A read that overlaps a change must not put back what the change replaced: callers take
 * a {@link #ticket()} before they read PostgreSQL and hand it to {@link #remember}, which
 * keeps the entry only if no change was heard in between.
 */
@Component
public class GateMemory implements DisposableBean {

	private final boolean enabled;

	private final GateChanges changes;

	private final Cache<List<String>, Remembered> entries;

	/** Counts the changes heard; a read that saw the count move keeps nothing. */
	private final AtomicLong heard = new AtomicLong();

	private final Disposable listening;

	public GateMemory(GateProperties properties, GateChanges changes, MeterRegistry meters) {
		GateProperties.Memory settings = properties.cache().memory();
		this.enabled = settings.enabled();
		this.changes = changes;
		this.entries = Caffeine.newBuilder()
			.maximumSize(settings.maxEntries())
			.expireAfterWrite(settings.maxAge())
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meters, this.entries, "gate.memory");
		this.listening = changes.all().subscribe(this::heard);
	}

	/**
	 * What this instance last read of a user on a template, or {@code null} if it has
	 * nothing it may use.
	 */
	public CachedGate get(String referenceId, String templateId) {
		if (!this.enabled) {
			return null;
		}
		Remembered remembered = this.entries.getIfPresent(List.of(referenceId, templateId));
		long session = this.changes.session();
		return (remembered != null && session != 0 && remembered.session() == session) ? remembered.gate() : null;
	}

	/** To take before reading an entry from PostgreSQL, for {@link #remember}. */
	public Ticket ticket() {
		return new Ticket(this.changes.session(), this.heard.get());
	}

	/**
	 * Keeps what was read from PostgreSQL with {@code ticket} in hand, unless a change
	 * was heard since, or this instance was not listening.
	 */
	public void remember(String referenceId, String templateId, CachedGate gate, Ticket ticket) {
		if (!this.enabled || ticket.session() == 0) {
			return;
		}
		List<String> key = List.of(referenceId, templateId);
		this.entries.put(key, new Remembered(gate, ticket.session()));
		// a change heard during the read, or while putting, may have missed the entry:
		// take it out again
		if (this.heard.get() != ticket.heard() || this.changes.session() != ticket.session()) {
			this.entries.invalidate(key);
		}
	}

	/** Forgets everything; as a change of everyone does. */
	public void clear() {
		this.heard.incrementAndGet();
		this.entries.invalidateAll();
	}

	/** How many entries are kept now (approximately). */
	public long size() {
		return this.entries.estimatedSize();
	}

	private void heard(GateChanges.Change change) {
		if (change.isEveryone()) {
			clear();
			return;
		}
		this.heard.incrementAndGet();
		this.entries.invalidate(List.of(change.referenceId(), change.templateId()));
	}

	@Override
	public void destroy() {
		this.listening.dispose();
	}

	/**
	 * Taken before a read.
	 *
	 * @param session the listening session then
	 * @param heard the count of changes heard then
	 */
	public record Ticket(long session, long heard) {
	}

	private record Remembered(CachedGate gate, long session) {
	}

}
