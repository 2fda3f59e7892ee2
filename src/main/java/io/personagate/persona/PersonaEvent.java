package io.personagate.persona;

import java.time.Instant;

/**
 * A Persona webhook event about an inquiry.
 *
 * @param id event id ({@code evt_...})
 * @param name event name, for example {@code inquiry.approved}
 * @param createdAt when Persona created the event
 * @param inquiry the inquiry as it was when the event fired, or {@code null} if the
 * payload was not an inquiry
 */
public record PersonaEvent(String id, String name, Instant createdAt, PersonaInquiry inquiry) {

}
