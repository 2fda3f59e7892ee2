package io.personagate.gate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.personagate.config.GateProperties;
import io.personagate.persona.TemplateId;

import org.springframework.stereotype.Component;

/**
 * The templates listed in {@code gate.templates}, each with its policy resolved against
 * {@code gate.defaults}. Only these can be asked about.
 */
@Component
public class GatedTemplates {

	/** What a template id may look like when a client sends one. */
	static final Pattern FORMAT = Pattern.compile("(itmpl|tmpl)_[A-Za-z0-9]{1,64}");

	private final Map<String, GatedTemplate> templates;

	public GatedTemplates(GateProperties properties) {
		GateProperties.Policy defaults = properties.defaults();
		Map<String, GatedTemplate> resolved = new LinkedHashMap<>();
		for (GateProperties.Template template : properties.templates()) {
			TemplatePolicy policy = new TemplatePolicy(
					(template.passStatuses() != null) ? template.passStatuses() : defaults.passStatuses(),
					(template.denyStatuses() != null) ? template.denyStatuses() : defaults.denyStatuses(),
					(template.expiredResumeWindow() != null) ? template.expiredResumeWindow()
							: defaults.expiredResumeWindow(),
					(template.maxInquiries() != null) ? template.maxInquiries() : defaults.maxInquiries());
			if (resolved.put(template.id(), new GatedTemplate(new TemplateId(template.id()), policy)) != null) {
				throw new IllegalArgumentException("gate.templates lists '" + template.id() + "' twice");
			}
		}
		this.templates = Map.copyOf(resolved);
	}

	/**
	 * The gated template with this id; {@link InvalidInputException} if it is not shaped
	 * like a Persona template id, {@link UnknownTemplateException} if it is not gated.
	 */
	public GatedTemplate require(String templateId) {
		if (templateId == null || !FORMAT.matcher(templateId).matches()) {
			throw new InvalidInputException(
					"templateId must be a Persona template id: 'itmpl_' or 'tmpl_' followed by 1 to 64 letters or digits");
		}
		GatedTemplate template = this.templates.get(templateId);
		if (template == null) {
			throw new UnknownTemplateException(templateId);
		}
		return template;
	}

	public boolean isGated(String templateId) {
		return templateId != null && this.templates.containsKey(templateId);
	}

}
