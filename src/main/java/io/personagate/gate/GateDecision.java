package io.personagate.gate;

/**
 * What the app should do with the user in front of a gated template.
 */
public enum GateDecision {

	ALLOW, DENY, UNDER_REVIEW, RESUME, START

}
