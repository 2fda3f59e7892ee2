package io.personagate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The service was started without settings it cannot run without, or with settings it
 * cannot use: each named with what is wrong and what to do.
 */
public class InvalidSettingsException extends IllegalStateException {

	private final List<InvalidSetting> settings;

	public InvalidSettingsException(List<InvalidSetting> settings) {
		super("Settings missing or invalid: "
				+ settings.stream().map(InvalidSetting::describe).collect(Collectors.joining("; ")));
		this.settings = List.copyOf(settings);
	}

	/** What is wrong, in the order found. */
	public List<InvalidSetting> settings() {
		return this.settings;
	}

	/** The properties named, e.g. {@code spring.r2dbc.url}. */
	public List<String> properties() {
		return this.settings.stream().map(InvalidSetting::property).toList();
	}

	/**
	 * The environment variable that sets a property as Spring Boot's relaxed binding
	 * reads it: {@code gate.templates[0].id} is {@code GATE_TEMPLATES_0_ID}.
	 */
	static String environmentVariable(String property) {
		return property.toUpperCase().replace("-", "").replace('.', '_').replace('[', '_').replace("]", "");
	}

	/**
	 * One setting that stops the start.
	 *
	 * @param property the property, e.g. {@code gate.templates[0].id}
	 * @param problem what is wrong with it, e.g. "is not set: no template is gated"
	 * @param action what to do about it
	 */
	public record InvalidSetting(String property, String problem, String action) {

		/** The property with the environment variable that sets it, and the problem. */
		public String describe() {
			return this.property + " (environment variable " + environmentVariable(this.property) + ") " + this.problem;
		}

	}

}
