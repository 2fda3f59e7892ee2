package io.personagate.gate;

import graphql.ErrorClassification;

/**
 * Error classifications of this service beyond Spring GraphQL's {@code ErrorType}; they
 * appear as {@code extensions.classification} in GraphQL errors.
 */
public enum GateErrorType implements ErrorClassification {

	/**
	 * Persona could not be reached or did not answer usefully; nothing was decided. Retry
	 * later.
	 */
	UPSTREAM_UNAVAILABLE,

	/** Persona refused the request (rejected input or an inquiry in the wrong state). */
	UPSTREAM_REJECTED,

	/**
	 * This service's Persona credentials were refused: an operator must fix the
	 * configuration.
	 */
	SERVICE_MISCONFIGURED,

	/** Another request for the same user is still being handled. Retry shortly. */
	BUSY,

	/**
	 * This user has caused too many Persona calls for now
	 * ({@code persona.rate-limit.per-user}); nothing was decided or sent. Retry after
	 * {@code extensions.retryAfterSeconds}.
	 */
	RATE_LIMITED,

	/**
	 * The service's database could not be reached; nothing was decided. Retry shortly.
	 */
	DATABASE_UNAVAILABLE,

	/**
	 * The operation nests fields deeper than {@code gate.graphql.max-depth}; nothing was
	 * run.
	 */
	QUERY_TOO_DEEP,

	/**
	 * The operation selects more than {@code gate.graphql.max-complexity} fields; nothing
	 * was run.
	 */
	QUERY_TOO_COMPLEX,

	/**
	 * The connection or the user already holds as many subscriptions as
	 * {@code gate.subscriptions.*} allows; the new one was not started. Complete one
	 * first.
	 */
	TOO_MANY_SUBSCRIPTIONS

}
