package io.personagate.persona;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

/**
 * The {@code Idempotency-Key} of one logical POST across its attempts. Persona stores the
 * first answer to a key, failures and 500s included, and replays it for at least 24 hours
 * (docs: /idempotence). So a key is sent again only to repeat an attempt whose answer
 * never arrived (a timeout, a reset connection, a body cut short); after an answer that
 * came back as a failure, the next attempt takes a fresh random key. Two answers leave
 * the key as it was: 401 and 429 come from before Persona's idempotency layer (docs:
 * /errors, "4xx and Idempotency") and say nothing about what the key did; and a 2xx means
 * the request took effect, so repeating it must replay it, never act again.
 * <p>
 * A {@link Journal} hears of each key before the attempt that uses it is sent, and of
 * each key a failure spent, so that a caller can keep the key in flight durably: a create
 * repeated after a crash, or by another instance, then reuses it.
 */
public final class IdempotencyKey {

	private final AtomicReference<String> current;

	private final Journal journal;

	private IdempotencyKey(String key, Journal journal) {
		this.current = new AtomicReference<>(key);
		this.journal = journal;
	}

	/** A new operation: its first attempt takes a fresh key. */
	public static IdempotencyKey fresh(Journal journal) {
		return new IdempotencyKey(null, journal);
	}

	/**
	 * The repeat of an operation whose last attempt, sent with {@code key}, got no
	 * answer: its first attempt sends {@code key} again.
	 */
	public static IdempotencyKey repeating(String key, Journal journal) {
		return new IdempotencyKey(key, journal);
	}

	/** A fresh random key (a UUID), as Persona recommends. */
	public static String random() {
		return UUID.randomUUID().toString();
	}

	/** The key for the next attempt, journaled before it is handed out. */
	Mono<String> forAttempt() {
		return Mono.defer(() -> {
			String key = this.current.get();
			if (key != null) {
				return Mono.just(key);
			}
			String fresh = random();
			return this.journal.sending(fresh).then(Mono.fromSupplier(() -> {
				this.current.set(fresh);
				return fresh;
			}));
		});
	}

	/** Persona answered the attempt that sent {@code key} with {@code status}. */
	Mono<Void> answered(String key, int status) {
		if (status < 300 || status == 401 || status == 429) {
			return Mono.empty();
		}
		return Mono.defer(() -> this.current.compareAndSet(key, null) ? this.journal.spent(key) : Mono.empty());
	}

	/** Where the key in flight is kept. */
	public interface Journal {

		/** Keeps nothing: for operations that create nothing when repeated. */
		Journal NONE = new Journal() {

			@Override
			public Mono<Void> sending(String key) {
				return Mono.empty();
			}

			@Override
			public Mono<Void> spent(String key) {
				return Mono.empty();
			}

		};

		/**
		 * {@code key} is about to be sent; the attempt waits until this completes, and is
		 * not sent if it fails.
		 */
		Mono<Void> sending(String key);

		/** Persona answered {@code key} with a failure it stored: the key is used up. */
		Mono<Void> spent(String key);

	}

}
