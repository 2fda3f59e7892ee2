package io.personagate.persona;

import java.util.Optional;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The user on whose behalf Persona is being called, carried in the Reactor context of the
 * call so that {@link PersonaPermits} can hold each user to their share of the budget. A
 * call with no caller (an operator's, a reconciliation) counts against the whole budget
 * only.
 *
 * @param referenceId the user
 * @param templateId the gated template the call is about
 */
public record PersonaCaller(String referenceId, String templateId) {

	private static final String KEY = PersonaCaller.class.getName();

	/** A context that says the calls made within it are for this caller. */
	public Context asContext() {
		return Context.of(KEY, this);
	}

	static Optional<PersonaCaller> from(ContextView context) {
		return context.getOrEmpty(KEY);
	}

}
