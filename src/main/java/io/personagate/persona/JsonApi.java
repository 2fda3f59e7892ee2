package io.personagate.persona;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The JSON:API documents Persona answers with, reduced to what the gate reads.
 */
final class JsonApi {

	private JsonApi() {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record InquiryList(List<InquiryResource> data, Links links) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record InquiryDocument(InquiryResource data, Meta meta) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EventDocument(EventResource data) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EventList(List<EventResource> data, Links links) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EventResource(String id, String type, EventAttributes attributes) {

		/** The event, or {@code null} if it lacks an id or a name. */
		PersonaEvent toEvent() {
			if (this.id == null || this.attributes == null || this.attributes.name() == null) {
				return null;
			}
			InquiryResource resource = (this.attributes.payload() != null) ? this.attributes.payload().data() : null;
			PersonaInquiry inquiry = (resource != null && "inquiry".equals(resource.type()) && resource.id() != null)
					? resource.toInquiry() : null;
			return new PersonaEvent(this.id, this.attributes.name(), this.attributes.createdAt(), inquiry);
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EventAttributes(String name, @JsonProperty("created-at") Instant createdAt, EventPayload payload) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record EventPayload(InquiryResource data) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Links(String next) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Meta(@JsonProperty("session-token") String sessionToken) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record InquiryResource(String id, String type, Attributes attributes, Relationships relationships) {

		/**
		 * The inquiry, its template read from the relationship that names that kind of
		 * template ({@code inquiry-template} or, for a legacy one, {@code template}).
		 */
		PersonaInquiry toInquiry(TemplateId kind) {
			PersonaInquiry inquiry = toInquiry();
			Relationship named = (this.relationships == null) ? null
					: kind.isLegacy() ? this.relationships.template() : this.relationships.inquiryTemplate();
			String templateId = (named != null && named.data() != null) ? named.data().id() : inquiry.templateId();
			return new PersonaInquiry(inquiry.id(), inquiry.status(), inquiry.rawStatus(), inquiry.referenceId(),
					templateId, inquiry.createdAt(), inquiry.updatedAt(), inquiry.expiredAt(), inquiry.redactedAt(),
					inquiry.decisionedAt(), inquiry.completedAt(), inquiry.failedAt());
		}

		PersonaInquiry toInquiry() {
			Attributes attrs = (this.attributes != null) ? this.attributes
					: new Attributes(null, null, null, null, null, null, null, null, null);
			return new PersonaInquiry(this.id, InquiryStatus.fromPersona(attrs.status()), attrs.status(),
					attrs.referenceId(), templateId(), attrs.createdAt(), attrs.updatedAt(), attrs.expiredAt(),
					attrs.redactedAt(), attrs.decisionedAt(), attrs.completedAt(), attrs.failedAt());
		}

		private String templateId() {
			if (this.relationships == null) {
				return null;
			}
			for (Relationship relationship : Arrays.asList(this.relationships.inquiryTemplate(),
					this.relationships.template())) {
				if (relationship != null && relationship.data() != null && relationship.data().id() != null) {
					return relationship.data().id();
				}
			}
			return null;
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Attributes(String status, @JsonProperty("reference-id") String referenceId,
			@JsonProperty("created-at") Instant createdAt, @JsonProperty("updated-at") Instant updatedAt,
			@JsonProperty("expired-at") Instant expiredAt, @JsonProperty("redacted-at") Instant redactedAt,
			@JsonProperty("decisioned-at") Instant decisionedAt, @JsonProperty("completed-at") Instant completedAt,
			@JsonProperty("failed-at") Instant failedAt) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Relationships(Relationship template, @JsonProperty("inquiry-template") Relationship inquiryTemplate) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Relationship(ResourceId data) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ResourceId(String type, String id) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Errors(List<Error> errors) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Error(String title, String details) {
	}

}
