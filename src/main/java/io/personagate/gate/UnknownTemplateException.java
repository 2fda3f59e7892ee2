package io.personagate.gate;

/**
 * A template id that is not in {@code gate.templates}.
 */
public class UnknownTemplateException extends RuntimeException {

	private final String templateId;

	public UnknownTemplateException(String templateId) {
		super("Template '" + templateId
				+ "' is not gated by this service; ask for one of the templates in its gate.templates configuration");
		this.templateId = templateId;
	}

	public String templateId() {
		return this.templateId;
	}

}
