package io.personagate.operator;

import java.time.OffsetDateTime;

import io.personagate.gate.GateDecision;
import io.personagate.gate.GateReason;
import io.personagate.persona.InquiryStatus;

/**
 * One thing that happened to a user's gate, from the audit trail.
 *
 * @param at when
 * @param action what: {@code DECISION_CHANGED}, {@code INQUIRY_CREATED},
 * {@code INQUIRY_RESUMED}, {@code ATTEMPT_GRANTED}, {@code REFRESHED}
 * @param decision the decision then, if recorded
 * @param reason its reason
 * @param inquiryId the inquiry concerned, if any
 * @param inquiryStatus its status then
 * @param actor who asked, when a person or service did
 * @param note why, in their words
 * @param correlationId the correlation id of the request that caused it
 * @param rule the rule of the decision table that decided, named by what it rests on
 * @param expiresAt when a grant lapses unused, if it does
 */
public record GateHistoryEntry(OffsetDateTime at, String action, GateDecision decision, GateReason reason,
		String inquiryId, InquiryStatus inquiryStatus, String actor, String note, String correlationId, String rule,
		OffsetDateTime expiresAt) {

}
