package io.personagate.webhook;

import io.personagate.persona.PersonaEvent;
import io.personagate.persona.PersonaInquiry;
import io.personagate.security.ReferenceIds;

/**
 * The fields of a Persona event that the service stores, compares, notifies and logs,
 * checked before any of that: each printable and at most {@value #MAX_LENGTH} characters
 * ({@link ReferenceIds#fits}, the rule of users' reference ids). An event that breaks it
 * (a NUL, which PostgreSQL cannot store; a line break; a reference id of kilobytes, too
 * long for a notification) can never be applied, however often it is delivered: it is
 * acknowledged as invalid and counted, so that Persona does not deliver it again for
 * days.
 */
final class EventFields {

	static final int MAX_LENGTH = ReferenceIds.MAX_LENGTH;

	private EventFields() {
	}

	/**
	 * What is wrong with the event, or {@code null} when every field it carries fits; the
	 * answer names the field, never its value.
	 */
	static String problem(PersonaEvent event) {
		String problem = check("event id", event.id());
		problem = (problem != null) ? problem : check("event name", event.name());
		PersonaInquiry inquiry = event.inquiry();
		if (problem != null || inquiry == null) {
			return problem;
		}
		problem = check("inquiry id", inquiry.id());
		problem = (problem != null) ? problem : check("reference id", inquiry.referenceId());
		problem = (problem != null) ? problem : check("template id", inquiry.templateId());
		return (problem != null) ? problem : check("status", inquiry.rawStatus());
	}

	private static String check(String field, String value) {
		if (value == null || ReferenceIds.fits(value, MAX_LENGTH)) {
			return null;
		}
		return "the " + field + " is longer than " + MAX_LENGTH
				+ " characters or holds control characters; it can never be applied";
	}

}
