package io.personagate.gate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.personagate.config.GateProperties;
import io.personagate.config.InvalidSettingsException;
import io.personagate.config.InvalidSettingsException.InvalidSetting;
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
					(template.maxInquiries() != null) ? template.maxInquiries() : defaults.maxInquiries(),
					(template.retryAfterFailed() != null) ? template.retryAfterFailed() : defaults.retryAfterFailed(),
					(template.retryAfterDeclined() != null) ? template.retryAfterDeclined()
							: defaults.retryAfterDeclined(),
					(template.approvalValidFor() != null) ? template.approvalValidFor() : defaults.approvalValidFor(),
					(template.satisfiedBy() != null) ? template.satisfiedBy() : List.of());
			if (resolved.put(template.id(), new GatedTemplate(new TemplateId(template.id()), policy)) != null) {
				throw new IllegalArgumentException("gate.templates lists '" + template.id() + "' twice");
			}
		}
		checkSatisfiedBy(properties.templates(), resolved);
		this.templates = Map.copyOf(resolved);
	}

	/**
	 * Refuses a satisfied-by naming a template that is not gated, the template itself, or
	 * one that leads back to it.
	 */
	private static void checkSatisfiedBy(List<GateProperties.Template> listed, Map<String, GatedTemplate> resolved) {
		List<InvalidSetting> invalid = new ArrayList<>();
		for (int i = 0; i < listed.size(); i++) {
			String id = listed.get(i).id();
			List<String> satisfiedBy = resolved.get(id).policy().satisfiedBy();
			for (int j = 0; j < satisfiedBy.size(); j++) {
				String other = satisfiedBy.get(j);
				String property = "gate.templates[" + i + "].satisfied-by[" + j + "]";
				if (!resolved.containsKey(other)) {
					invalid.add(new InvalidSetting(property, "names '" + other + "', which is not a gated template",
							"List only ids that gate.templates lists, or add " + other + " to gate.templates."));
				}
				else {
					List<String> cycle = pathBack(other, id, resolved, new ArrayList<>(List.of(id)));
					if (cycle != null) {
						invalid.add(new InvalidSetting(property,
								"makes a cycle: " + String.join(" is satisfied by ", cycle),
								"Keep satisfied-by one way: a template may be satisfied by another only if that "
										+ "one is not, directly or through others, satisfied by it."));
					}
				}
			}
		}
		if (!invalid.isEmpty()) {
			throw new InvalidSettingsException(invalid);
		}
	}

	/**
	 * The chain from {@code from} back to {@code target} through satisfied-by, if any.
	 */
	private static List<String> pathBack(String from, String target, Map<String, GatedTemplate> resolved,
			List<String> path) {
		path.add(from);
		if (from.equals(target)) {
			return path;
		}
		GatedTemplate template = resolved.get(from);
		if (template != null && path.size() <= resolved.size() + 1) {
			for (String next : template.policy().satisfiedBy()) {
				List<String> found = pathBack(next, target, resolved, new ArrayList<>(path));
				if (found != null) {
					return found;
				}
			}
		}
		return null;
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
