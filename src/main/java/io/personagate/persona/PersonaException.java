package io.personagate.persona;

import java.time.Duration;

/**
 * Something went wrong talking to Persona. The subclasses say what, so callers can tell a
 * bad API key from an outage from a rejected request.
 */
public abstract sealed class PersonaException extends RuntimeException permits PersonaException.Unauthorized,
		PersonaException.NotFound, PersonaException.Conflict, PersonaException.Rejected, PersonaException.RateLimited,
		PersonaException.Unavailable, PersonaException.CallerRateLimited {

	private final int status;

	private final String requestId;

	private volatile boolean answeredByPersona;

	private volatile boolean keySpent;

	PersonaException(String message, int status, String requestId, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.requestId = requestId;
	}

	/** The HTTP status Persona answered with, or 0 when there was no answer. */
	public int status() {
		return this.status;
	}

	/** Persona's {@code Request-Id} for the failed call, if it answered. */
	public String requestId() {
		return this.requestId;
	}

	/**
	 * Whether the answer provably came from Persona's API, with its JSON:API error
	 * document and its {@code Request-Id}, rather than from a gateway in front of it.
	 */
	public boolean isAnsweredByPersona() {
		return this.answeredByPersona;
	}

	PersonaException answeredByPersona() {
		this.answeredByPersona = true;
		return this;
	}

	/**
	 * Whether Persona stored this failure for the attempt's {@code Idempotency-Key}, so
	 * that the key is used up.
	 */
	public boolean isKeySpent() {
		return this.keySpent;
	}

	PersonaException keySpent() {
		this.keySpent = true;
		return this;
	}

	/**
	 * 401, or a 403 about the key: the API key is missing, wrong, revoked or lacks the
	 * permission. A fault of this service's configuration.
	 */
	public static final class Unauthorized extends PersonaException {

		public Unauthorized(String message, int status, String requestId) {
			super(message, status, requestId, null);
		}

	}

	/** 404: the inquiry (or path) does not exist in this Persona environment. */
	public static final class NotFound extends PersonaException {

		public NotFound(String message, String requestId) {
			super(message, 404, requestId, null);
		}

	}

	/**
	 * 409: the inquiry is in a state that does not allow the operation (for example
	 * resuming a declined one).
	 */
	public static final class Conflict extends PersonaException {

		public Conflict(String message, String requestId) {
			super(message, 409, requestId, null);
		}

	}

	/** 400 or 422: Persona refused the request as invalid. */
	public static final class Rejected extends PersonaException {

		public Rejected(String message, int status, String requestId) {
			super(message, status, requestId, null);
		}

	}

	/** 429: over Persona's rate limit. */
	public static final class RateLimited extends PersonaException {

		private final long resetSeconds;

		public RateLimited(String message, String requestId, long resetSeconds) {
			super(message, 429, requestId, null);
			this.resetSeconds = resetSeconds;
		}

		/**
		 * Seconds until the limit resets ({@code RateLimit-Reset}), or -1 when Persona
		 * did not say.
		 */
		public long resetSeconds() {
			return this.resetSeconds;
		}

	}

	/**
	 * No usable answer: connection failure, timeout, 5xx, an open circuit, a body that
	 * could not be read, or a 403 for an exceeded quota or a refused address.
	 */
	public static final class Unavailable extends PersonaException {

		private final Kind kind;

		public Unavailable(String message, int status, String requestId, Throwable cause) {
			this(message, (status >= 500) ? Kind.SERVER_ERROR : Kind.BAD_RESPONSE, status, requestId, cause);
		}

		public Unavailable(String message, Kind kind, int status, String requestId, Throwable cause) {
			super(message, status, requestId, cause);
			this.kind = kind;
		}

		public Kind kind() {
			return this.kind;
		}

		/**
		 * Whether trying again may help: connection failures, timeouts, 408, 502, 503 and
		 * 504.
		 */
		public boolean isTransient() {
			return switch (this.kind) {
				case CONNECTION, TIMEOUT -> true;
				case SERVER_ERROR -> status() == 408 || status() == 502 || status() == 503 || status() == 504;
				default -> false;
			};
		}

		/** Why there was no usable answer. */
		public enum Kind {

			CONNECTION, TIMEOUT, SERVER_ERROR, BAD_RESPONSE, CIRCUIT_OPEN, RATE_LIMITED_LOCALLY, DEADLINE,

			/** 403: a quota of the Persona account is used up. */
			QUOTA_EXCEEDED,

			/** 403: Persona does not accept calls from this service's address. */
			ADDRESS_REFUSED

		}

	}

	/**
	 * Not sent: the user it was for, or the operator who asked, has used their allowance
	 * of Persona calls ({@code persona.rate-limit.per-user},
	 * {@code persona.rate-limit.operators}). Nothing reached Persona.
	 */
	public static final class CallerRateLimited extends PersonaException {

		private final Duration retryAfter;

		public CallerRateLimited(String message, Duration retryAfter) {
			super(message, 0, null, null);
			this.retryAfter = retryAfter;
		}

		/** How long until the user's next call would be allowed. */
		public Duration retryAfter() {
			return this.retryAfter;
		}

	}

}
