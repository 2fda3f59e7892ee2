package io.personagate.store;

/**
 * The decision last served for a user and template.
 *
 * @param decision the decision's name
 * @param reason the reason's name
 * @param inquiryId the deciding inquiry, if any
 */
public record LastDecision(String decision, String reason, String inquiryId) {

}
