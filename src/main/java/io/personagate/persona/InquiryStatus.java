package io.personagate.persona;

import java.util.Locale;

/**
 * An inquiry's status as Persona reports it. Persona documents that the list of statuses
 * can grow, so anything it sends that is not known here becomes {@link #UNKNOWN}.
 */
public enum InquiryStatus {

	CREATED, PENDING, COMPLETED, FAILED, EXPIRED, NEEDS_REVIEW, APPROVED, DECLINED, UNKNOWN;

	private static final InquiryStatus[] KNOWN = { CREATED, PENDING, COMPLETED, FAILED, EXPIRED, NEEDS_REVIEW, APPROVED,
			DECLINED };

	public static InquiryStatus fromPersona(String value) {
		if (value == null) {
			return UNKNOWN;
		}
		// exactly as Persona spells them: " APPROVED " is no approval
		for (InquiryStatus status : KNOWN) {
			if (status.personaName().equals(value)) {
				return status;
			}
		}
		return UNKNOWN;
	}

	public String personaName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
