package io.personagate.persona;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

/**
 * The {@code Idempotency-Key} of one logical POST across its attempts. Persona stores the
 * first answer to a key, failures and 500s included, and replays it for at least 24 hours
 * (docs: /idempotence). So a key is sent again only to repeat an attempt whose answer
 * never arrived (a timeout, a reset connection, a body cut short, a gateway's 5xx); after
 * a failure that Persona answered itself, the key is used up. Several answers leave the
 * key as it was: 401 and 429 come from before Persona's idempotency layer (docs: /errors,
 * "4xx and Idempotency") and say nothing about what the key did; 409 says the key is
 * still in use by an attempt Persona has not finished; an answer without Persona's error
 * document and {@code Request-Id} is a gateway's, not Persona's; and a 2xx means the
 * request took effect, so repeating it must replay it, never act again.
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

	/**
	 * The key the next attempt would send again, or {@code null} once a failure that
	 * Persona stored used it up (or before the first attempt).
	 */
	public String kept() {
		return this.current.get();
	}

	/**
	 * The attempt that sent {@code key} was answered with {@code status}; {@code stored}
	 * says whether the answer provably is one Persona's idempotency layer stored for the
	 * key: it came from Persona's API (its JSON:API error document and its
	 * {@code Request-Id}) rather than from a gateway in front of it, and it is not the
	 * 409 that says the key is still in use by an earlier attempt. Every other answer
	 * leaves the key as it was.
	 * @return whether the key is used up
	 */
	Mono<Boolean> answered(String key, int status, boolean stored) {
		if (status < 300 || status == 401 || status == 429 || !stored) {
			return Mono.just(false);
		}
		return Mono.defer(() -> this.current.compareAndSet(key, null) ? this.journal.spent(key).thenReturn(true)
				: Mono.just(false));
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
