package io.personagate.persona;

import java.util.Locale;

/**
 * An inquiry's status as Persona reports it. Persona documents that the list of statuses
 * can grow, so anything it sends that is not known here becomes {@link #UNKNOWN}.
 */
public enum InquiryStatus {

	CREATED, PENDING, COMPLETED, FAILED, EXPIRED, NEEDS_REVIEW, APPROVED, DECLINED, UNKNOWN;

	public static InquiryStatus fromPersona(String value) {
		if (value == null) {
			return UNKNOWN;
		}
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			return UNKNOWN;
		}
	}

	public String personaName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
