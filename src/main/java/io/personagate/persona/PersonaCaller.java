package io.personagate.persona;

import java.util.Optional;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * On whose behalf Persona is being called, carried in the Reactor context of the call so
 * that {@link PersonaPermits} can hold each user, and each operator, to their share of
 * the budget. A call for a user counts against that user's allowance; a call made through
 * the operator API also against the operator's (their token's subject) and the share of
 * all operators. A call for no one (a reconciliation) counts against the whole budget
 * only.
 *
 * @param referenceId the user, or {@code null} when the call is for no user in particular
 * @param templateId the gated template the call is about, or {@code null}
 * @param operator the operator who asked, or {@code null} when it is the user's own call
 */
public record PersonaCaller(String referenceId, String templateId, String operator) {

	private static final String KEY = PersonaCaller.class.getName();

	private static final String OPERATOR_KEY = PersonaCaller.class.getName() + ".operator";

	/** A call for a user, on a template. */
	public PersonaCaller(String referenceId, String templateId) {
		this(referenceId, templateId, null);
	}

	/** A context that says the calls made within it are for this caller. */
	public Context asContext() {
		return Context.of(KEY, this);
	}

	/**
	 * A context that says the calls made within it are asked for by this operator, for
	 * whichever user the calls are made.
	 */
	public static Context ofOperator(String operator) {
		return Context.of(OPERATOR_KEY, operator);
	}

	static Optional<PersonaCaller> from(ContextView context) {
		Optional<PersonaCaller> caller = context.getOrEmpty(KEY);
		Optional<String> operator = context.getOrEmpty(OPERATOR_KEY);
		if (operator.isEmpty()) {
			return caller;
		}
		return Optional
			.of(caller.map((user) -> new PersonaCaller(user.referenceId(), user.templateId(), operator.get()))
				.orElseGet(() -> new PersonaCaller(null, null, operator.get())));
	}

}
