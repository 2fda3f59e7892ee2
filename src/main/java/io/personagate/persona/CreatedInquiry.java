package io.personagate.persona;

/**
 * An inquiry Persona has just created or resumed, with the session token to open it, if
 * Persona gave one.
 *
 * @param inquiry the inquiry
 * @param sessionToken {@code meta.session-token}, or {@code null}
 */
public record CreatedInquiry(PersonaInquiry inquiry, String sessionToken) {

	@Override
	public String toString() {
		return "CreatedInquiry[inquiry=" + this.inquiry + ", sessionToken="
				+ ((this.sessionToken != null) ? "***" : null) + "]";
	}

}
