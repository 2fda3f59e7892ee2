package io.personagate.gate;

/**
 * An attempt was to be granted to a user whose gate is not DENY: there is nothing to
 * grant.
 */
public class GrantRefusedException extends RuntimeException {

	public GrantRefusedException(String referenceId, VerificationGate gate) {
		super("The gate of reference id '" + referenceId + "' on template " + gate.templateId() + " is "
				+ gate.decision() + " (" + gate.reason() + "), not DENY: an attempt can only be granted to a user "
				+ "the gate keeps out; nothing was granted");
	}

}
