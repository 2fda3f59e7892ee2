package io.personagate.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.personagate.persona.InquiryStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gate's settings: who the user is, which templates are gated and by which policy, and how long
 * answers are cached.
 *
 * @param referenceIdClaim the JWT claim that holds the user id sent to Persona as Reference ID
 * @param defaults the policy of every template unless it overrides a part
 * @param templates the gated templates
 * @param cache cache settings
 * @param lock get-or-create claim settings
 */
@Validated
@ConfigurationProperties("gate")
public record GateProperties(@DefaultValue("sub") @NotBlank String referenceIdClaim,
		@DefaultValue @Valid @NotNull Policy defaults, @DefaultValue @Valid List<Template> templates,
		@DefaultValue @Valid @NotNull Cache cache, @DefaultValue @Valid @NotNull Lock lock) {

	/**
	 * A template policy.
	 *
	 * @param passStatuses statuses that let the user in
	 * @param denyStatuses statuses that keep the user out
	 * @param expiredResumeWindow how long after expiry an inquiry may still be resumed
	 * @param maxInquiries inquiries a user may have on the template in all
	 */
	public record Policy(@DefaultValue({ "approved", "completed" }) Set<InquiryStatus> passStatuses,
			@DefaultValue({ "declined", "failed" }) Set<InquiryStatus> denyStatuses,
			@DefaultValue("24h") Duration expiredResumeWindow, @DefaultValue("3") @Min(1) int maxInquiries) {
	}

	/**
	 * One gated template; each policy setting left out falls back to {@code gate.defaults}.
	 *
	 * @param id the template id, {@code itmpl_...} or legacy {@code tmpl_...}
	 * @param passStatuses overrides {@code gate.defaults.pass-statuses}
	 * @param denyStatuses overrides {@code gate.defaults.deny-statuses}
	 * @param expiredResumeWindow overrides {@code gate.defaults.expired-resume-window}
	 * @param maxInquiries overrides {@code gate.defaults.max-inquiries}
	 */
	public record Template(@NotBlank String id, Set<InquiryStatus> passStatuses, Set<InquiryStatus> denyStatuses,
			Duration expiredResumeWindow, @Min(1) Integer maxInquiries) {
	}

	/**
	 * @param ttl how long a status that can still change is served from the cache
	 * @param decidedTtl how long an answer resting on approved, declined or failed is served from the cache
	 * before Persona is asked again; unset: until a webhook or a listing says otherwise
	 * @param enabled {@code false} makes verificationGate ask Persona on every call and keep nothing, as
	 * Persona's recipe does when followed to the letter; only for measuring what the cache saves
	 */
	public record Cache(@DefaultValue("60s") Duration ttl, Duration decidedTtl,
			@DefaultValue("true") boolean enabled) {
	}

	/**
	 * @param lease how long a get-or-create claim lasts if its holder dies
	 * @param waitTimeout how long ensureInquiry waits for another call's claim on the same user
	 */
	public record Lock(@DefaultValue("30s") Duration lease, @DefaultValue("10s") Duration waitTimeout) {
	}

}
