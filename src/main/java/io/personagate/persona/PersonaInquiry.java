package io.personagate.persona;

import java.time.Instant;

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
 */
public record PersonaInquiry(String id, InquiryStatus status, String rawStatus, String referenceId, String templateId,
		Instant createdAt, Instant updatedAt, Instant expiredAt, Instant redactedAt) {

}
