package io.personagate.persona;

import java.util.List;

/**
 * One page of Persona's event list, newest first.
 *
 * @param events the events that could be read (an entry without an id or a name is left
 * out)
 * @param next the cursor of the next, older page, or {@code null} on the last page
 */
public record EventPage(List<PersonaEvent> events, String next) {

}
