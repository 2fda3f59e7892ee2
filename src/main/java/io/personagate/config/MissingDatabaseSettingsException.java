package io.personagate.config;

import java.util.List;

/**
 * The service was started without the settings that say where its database is.
 */
public class MissingDatabaseSettingsException extends IllegalStateException {

	private final List<String> properties;

	public MissingDatabaseSettingsException(List<String> properties) {
		super("No database configured: "
				+ String.join(" and ", properties.stream().map(MissingDatabaseSettingsException::describe).toList())
				+ (properties.size() == 1 ? " is" : " are") + " not set");
		this.properties = List.copyOf(properties);
	}

	/** The missing properties, e.g. {@code spring.r2dbc.url}. */
	public List<String> properties() {
		return this.properties;
	}

	/**
	 * A property with the environment variable that sets it:
	 * {@code spring.r2dbc.url (SPRING_R2DBC_URL)}.
	 */
	static String describe(String property) {
		return property + " (environment variable " + property.toUpperCase().replace('.', '_').replace("-", "") + ")";
	}

}
