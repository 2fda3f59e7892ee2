package io.personagate.persona;

/**
 * A Persona template id. Persona has two kinds, and each travels under its own names:
 * legacy {@code tmpl_...} ids as {@code template-id} / {@code relationships.template},
 * and {@code itmpl_...} ids as {@code inquiry-template-id} /
 * {@code relationships.inquiry-template}.
 *
 * @param value the id as configured
 */
public record TemplateId(String value) {

	public TemplateId {
		if (value == null || !(value.startsWith("tmpl_") || value.startsWith("itmpl_")) || value.isBlank()) {
			throw new IllegalArgumentException("Template id '" + value
					+ "' must start with 'itmpl_' (inquiry template) or 'tmpl_' (legacy template)");
		}
	}

	public boolean isLegacy() {
		return this.value.startsWith("tmpl_");
	}

	/** The attribute name in a create request and the key inside {@code filter[...]}. */
	public String attributeName() {
		return isLegacy() ? "template-id" : "inquiry-template-id";
	}

	/** The relationship that names this kind of template on an inquiry. */
	public String relationshipName() {
		return isLegacy() ? "template" : "inquiry-template";
	}

	@Override
	public String toString() {
		return this.value;
	}

}
