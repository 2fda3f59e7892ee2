package io.personagate.persona;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Persona webhook bodies.
 */
public final class PersonaEvents {

	private static final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private PersonaEvents() {
	}

	/**
	 * Parses a webhook body.
	 * @throws IllegalArgumentException if it is not a Persona event document
	 */
	public static PersonaEvent parse(byte[] body) {
		JsonApi.EventDocument document;
		try {
			document = json.readValue(body, JsonApi.EventDocument.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Body is not a Persona event (not valid JSON of that shape)");
		}
		PersonaEvent event = (document != null && document.data() != null) ? document.data().toEvent() : null;
		if (event == null) {
			throw new IllegalArgumentException("Body is not a Persona event: data.id or data.attributes.name missing");
		}
		return event;
	}

}
