package io.personagate.persona;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The part of a Persona inquiry this service keeps. Field values
 * ({@code attributes.fields}) are personal data and are never read.
 *
 * @param id inquiry id ({@code inq_...})
 * @param status the status, mapped
 * @param rawStatus the status exactly as Persona sent it
 * @param referenceId the reference id (our user id) it belongs to
 * @param templateId the template or inquiry template it was made from, if Persona named
 * one
 * @param createdAt creation time
 * @param updatedAt last change at Persona
 * @param expiredAt expiry time, if it expired
 * @param redactedAt redaction time, if it was redacted
 * @param decisionedAt when a workflow or reviewer decided it, if one did
 * @param completedAt when the user completed it, if they did
 * @param failedAt when it failed, if it did
 */
public record PersonaInquiry(String id, InquiryStatus status, String rawStatus, String referenceId, String templateId,
		Instant createdAt, Instant updatedAt, Instant expiredAt, Instant redactedAt, Instant decisionedAt,
		Instant completedAt, Instant failedAt) {

	public PersonaInquiry(String id, InquiryStatus status, String rawStatus, String referenceId, String templateId,
			Instant createdAt, Instant updatedAt, Instant expiredAt, Instant redactedAt) {
		this(id, status, rawStatus, referenceId, templateId, createdAt, updatedAt, expiredAt, redactedAt, null, null,
				null);
	}

	/** Persona's ids: a prefix, an underscore and letters or digits. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

	/** No time Persona sends is before this: an older one is not Persona's. */
	private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

	/** Whether an id looks like one of Persona's, safe to store and to log. */
	public static boolean isUsableId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	/**
	 * Whether a text Persona sent (a status) is short and free of control characters, so
	 * that it can be stored and logged as it is.
	 */
	public static boolean isUsableText(String text) {
		return text == null || (text.length() <= 64 && text.chars().noneMatch(Character::isISOControl));
	}

	/** Whether every time it carries is one Persona could have sent. */
	public boolean hasUsableTimes() {
		for (Instant time : new Instant[] { this.createdAt, this.updatedAt, this.expiredAt, this.redactedAt }) {
			if (time != null && time.isBefore(EARLIEST)) {
				return false;
			}
		}
		return true;
	}

}
