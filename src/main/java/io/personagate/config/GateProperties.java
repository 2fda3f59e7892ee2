package io.personagate.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.personagate.persona.InquiryStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gate's settings: who the user is, which templates are gated and by which policy,
 * how long answers are cached, and what the GraphQL endpoint accepts.
 *
 * @param referenceIdClaim the JWT claim that holds the user id sent to Persona as
 * Reference ID
 * @param defaults the policy of every template unless it overrides a part
 * @param templates the gated templates, the only ones that can be asked about: each an id
 * (itmpl_... or legacy tmpl_...) and, optionally, pass-statuses, deny-statuses,
 * expired-resume-window, max-inquiries, retry-after-failed, retry-after-declined and
 * approval-valid-for overriding gate.defaults, and satisfied-by (GATE_TEMPLATES_0_ID...)
 * @param cache cache settings
 * @param lock get-or-create claim settings
 * @param graphql limits of the GraphQL endpoint
 * @param sessionTokens reuse of the session tokens of resumed inquiries
 * @param subscriptions limits of live updates
 */
@Validated
@ConfigurationProperties("gate")
public record GateProperties(@DefaultValue("sub") @NotBlank String referenceIdClaim,
		@DefaultValue @Valid @NotNull Policy defaults, @DefaultValue @Valid List<Template> templates,
		@DefaultValue @Valid @NotNull Cache cache, @DefaultValue @Valid @NotNull Lock lock,
		@DefaultValue @Valid @NotNull GraphQl graphql, @DefaultValue @Valid @NotNull SessionTokens sessionTokens,
		@DefaultValue @Valid @NotNull Subscriptions subscriptions) {

	/**
	 * A template policy.
	 *
	 * @param passStatuses statuses that let the user in
	 * @param denyStatuses statuses that keep the user out
	 * @param expiredResumeWindow how long after expiry an inquiry may still be resumed
	 * @param maxInquiries inquiries a user may have on the template in all (in one cycle,
	 * when approvals age)
	 * @param retryAfterFailed how long after a failed inquiry was decided a new one may
	 * be started, within max-inquiries; unset: failed is final
	 * @param retryAfterDeclined how long after a declined inquiry was decided a new one
	 * may be started, within max-inquiries; unset: declined is final
	 * @param approvalValidFor how long after it was decided a pass lets the user in; then
	 * the user verifies again with a new inquiry, the attempts counted afresh; unset: for
	 * ever
	 */
	public record Policy(@DefaultValue( {
			"approved", "completed" }) Set<InquiryStatus> passStatuses,
			@DefaultValue({ "declined", "failed" }) Set<InquiryStatus> denyStatuses,
			@DefaultValue("24h") @DurationMin(message = "must not be negative") Duration expiredResumeWindow,
			@DefaultValue("3") @Min(1) int maxInquiries,
			@DurationMin(message = "must not be negative") Duration retryAfterFailed,
			@DurationMin(message = "must not be negative") Duration retryAfterDeclined,
			@DurationMin(millis = 1, message = "must be positive") Duration approvalValidFor){
	}

	/**
	 * One gated template; each policy setting left out falls back to
	 * {@code gate.defaults}.
	 *
	 * @param id the template id, itmpl_... or legacy tmpl_...
	 * @param passStatuses overrides gate.defaults.pass-statuses
	 * @param denyStatuses overrides gate.defaults.deny-statuses
	 * @param expiredResumeWindow overrides gate.defaults.expired-resume-window
	 * @param maxInquiries overrides gate.defaults.max-inquiries
	 * @param retryAfterFailed overrides gate.defaults.retry-after-failed
	 * @param retryAfterDeclined overrides gate.defaults.retry-after-declined
	 * @param approvalValidFor overrides gate.defaults.approval-valid-for
	 * @param satisfiedBy ids of other gated templates whose pass, judged by that
	 * template's own policy, also lets the user into this one without an inquiry here; no
	 * cycles
	 */
	public record Template(@NotBlank @Pattern(regexp = "(itmpl|tmpl)_[A-Za-z0-9]{1,64}",
			message = "must be a Persona template id: 'itmpl_' or 'tmpl_' followed by 1 to 64 letters or digits") String id,
			Set<InquiryStatus> passStatuses, Set<InquiryStatus> denyStatuses,
			@DurationMin(message = "must not be negative") Duration expiredResumeWindow, @Min(1) Integer maxInquiries,
			@DurationMin(message = "must not be negative") Duration retryAfterFailed,
			@DurationMin(message = "must not be negative") Duration retryAfterDeclined,
			@DurationMin(millis = 1, message = "must be positive") Duration approvalValidFor,
			@DefaultValue List<String> satisfiedBy) {
	}

	/**
	 * @param ttl how long a status that can still change is served from the cache
	 * @param decidedTtl how long an answer resting on approved, declined or failed is
	 * served from the cache before Persona is asked again; unset: until a webhook or a
	 * listing says otherwise
	 * @param enabled false makes verificationGate ask Persona on every call and keep
	 * nothing, as Persona's recipe does when followed to the letter; only for measuring
	 * what the cache saves
	 * @param memory the copy of recently read entries that each instance keeps in memory
	 * @param listingLag how long after the cache first heard of an inquiry (from a
	 * create) Persona's listing may still leave it out; a listing that leaves out an
	 * inquiry heard of before this removes it from the cache
	 * @param clockSkew how far ahead of this service's clock a time Persona sends may be;
	 * a later one is taken as this far ahead, and an event stamped later is refused
	 */
	public record Cache(@DefaultValue("60s") @DurationMin(message = "must not be negative") Duration ttl,
			@DurationMin(message = "must not be negative") Duration decidedTtl, @DefaultValue("true") boolean enabled,
			@DefaultValue @Valid @NotNull Memory memory,
			@DefaultValue("5m") @NotNull @DurationMin(message = "must not be negative") Duration listingLag,
			@DefaultValue("5m") @NotNull @DurationMin(message = "must not be negative") Duration clockSkew) {
	}

	/**
	 * Each instance's in-memory copy of entries it read from PostgreSQL, so that a cached
	 * answer costs no database round trip. An entry is dropped as soon as any instance
	 * changes it (PostgreSQL {@code NOTIFY}), and the whole copy is dropped, and not
	 * used, while the instance is not listening for those notifications.
	 *
	 * @param enabled false reads every answer from PostgreSQL
	 * @param maxEntries the most entries kept; the least recently used go first
	 * @param maxAge the longest an entry is kept, whatever happens: bounds how long an
	 * instance could serve an answer after a change whose notification it missed
	 */
	public record Memory(@DefaultValue("true") boolean enabled, @DefaultValue("50000") @Min(1) long maxEntries,
			@DefaultValue("5m") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration maxAge) {
	}

	/**
	 * @param lease how long a get-or-create claim lasts if its holder dies
	 * @param waitTimeout how long ensureInquiry waits for another call's claim on the
	 * same user
	 */
	public record Lock(@DefaultValue("30s") @DurationMin(millis = 1, message = "must be positive") Duration lease,
			@DefaultValue("10s") @DurationMin(millis = 1, message = "must be positive") Duration waitTimeout) {
	}

	/**
	 * What the GraphQL endpoint accepts. The default depth and complexity let through the
	 * introspection query that GraphiQL sends (15 deep, 220 fields); this schema's own
	 * operations are at most 3 deep.
	 *
	 * @param maxDepth deepest nesting of fields an operation may have
	 * @param maxComplexity most fields an operation may resolve: each fragment expanded
	 * wherever it is spread, each alias and each repetition counted
	 * @param maxRequestSize largest POST /graphql body read; also the most characters an
	 * operation text may have
	 * @param maxTokens most tokens (names, punctuation, values) the parser reads from one
	 * operation text before it gives up
	 * @param introspection whether __schema and __type answer; read by Spring Boot as
	 * spring.graphql.schema.introspection.enabled (see application.yml)
	 * @param parsedDocumentsMaxSize how much heap the operation texts kept parsed and
	 * validated may take, as estimated from their length and tokens
	 * @param persistedQueriesMaxSize how many bytes of operation texts are kept for
	 * clients that send them by hash (automatic persisted queries)
	 */
	public record GraphQl(@DefaultValue("15") @Min(1) int maxDepth, @DefaultValue("250") @Min(1) int maxComplexity,
			@DefaultValue("16KB") @NotNull DataSize maxRequestSize, @DefaultValue("2000") @Min(1) int maxTokens,
			@DefaultValue("true") boolean introspection, @DefaultValue("10MB") @NotNull DataSize parsedDocumentsMaxSize,
			@DefaultValue("1MB") @NotNull DataSize persistedQueriesMaxSize) {

		@AssertTrue(message = "gate.graphql.max-request-size must be positive")
		boolean isMaxRequestSizePositive() {
			return this.maxRequestSize == null || this.maxRequestSize.toBytes() > 0;
		}

		@AssertTrue(message = "gate.graphql.parsed-documents-max-size must be positive")
		boolean isParsedDocumentsMaxSizePositive() {
			return this.parsedDocumentsMaxSize == null || this.parsedDocumentsMaxSize.toBytes() > 0;
		}

		@AssertTrue(message = "gate.graphql.persisted-queries-max-size must be positive")
		boolean isPersistedQueriesMaxSizePositive() {
			return this.persistedQueriesMaxSize == null || this.persistedQueriesMaxSize.toBytes() > 0;
		}

	}

	/**
	 * Session tokens from Persona's resume, kept in each instance's memory so that
	 * {@code ensureInquiry} called again gives the same token instead of opening another
	 * session (Persona allows an inquiry 25).
	 *
	 * @param reuseFor how long a token is given again; 0 resumes every time. Keep it
	 * shorter than the templates' expiry after the inquiry starts
	 * @param maxSize the most memory the kept tokens take
	 */
	public record SessionTokens(
			@DefaultValue("10m") @NotNull @DurationMin(message = "must not be negative") Duration reuseFor,
			@DefaultValue("4MB") @NotNull DataSize maxSize) {
	}

	/**
	 * Limits of live updates ({@code verificationGateChanged}). A subscription beyond a
	 * limit is refused at once with a {@code TOO_MANY_SUBSCRIPTIONS} error. Spring for
	 * GraphQL handles at most 256 operations of one WebSocket connection at a time and
	 * leaves any further one waiting silently, hence the ceiling on the first limit.
	 *
	 * @param maxPerConnection subscriptions one WebSocket connection may hold at once
	 * @param maxPerUser subscriptions one user may hold at once on one instance, over all
	 * connections and server-sent event streams
	 * @param coalesce how long a subscription waits after a change before it reads the
	 * gate again, so that a burst of changes costs one read
	 * @param timeCheck how often each instance looks, for every subscription it holds,
	 * whether time alone changed the gate (a cooldown ended, an approval aged): one timer
	 * per instance, not one per subscription; a subscriber hears of such a change at most
	 * this late
	 */
	public record Subscriptions(@DefaultValue("20") @Min(1) @Max(200) int maxPerConnection,
			@DefaultValue("50") @Min(1) int maxPerUser,
			@DefaultValue("50ms") @NotNull @DurationMin(message = "must not be negative") Duration coalesce,
			@DefaultValue("30s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration timeCheck) {
	}

}
