package io.personagate.security;

/**
 * The scopes of the operator API, as {@code @PreAuthorize} expressions over the
 * authorities Spring Security makes of a JWT's {@code scope} or {@code scp} claim
 * ({@code SCOPE_gate:read}). {@code gate:admin} includes {@code gate:read}.
 */
public final class Scopes {

	/** Read any user's gate and its history. */
	public static final String READ = "hasAnyAuthority('SCOPE_gate:read', 'SCOPE_gate:admin')";

	/** Change any user's gate: refresh it, grant an attempt. */
	public static final String ADMIN = "hasAuthority('SCOPE_gate:admin')";

	private Scopes() {
	}

}
