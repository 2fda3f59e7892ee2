package io.personagate.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports {@link MissingDatabaseSettingsException} as a short "APPLICATION FAILED TO
 * START" notice that names each missing setting and how to set it.
 */
public class MissingDatabaseSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingDatabaseSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingDatabaseSettingsException cause) {
		StringBuilder description = new StringBuilder("No database configured. Missing:\n");
		for (String property : cause.properties()) {
			description.append("\n\t").append(MissingDatabaseSettingsException.describe(property));
			description.append(property.equals(RequiredDatabaseSettings.R2DBC_URL)
					? ": the database the service reads and writes, e.g. r2dbc:postgresql://db.example:5432/gate"
					: ": the same database as a JDBC URL, for the migrations, e.g. jdbc:postgresql://db.example:5432/gate");
		}
		String action = """
				Set the missing settings, with the credentials (SPRING_R2DBC_USERNAME, SPRING_R2DBC_PASSWORD, \
				SPRING_FLYWAY_USER, SPRING_FLYWAY_PASSWORD); see docs/configuration.md. To run the \
				service on your machine without a database, use development mode: ./mvnw spring-boot:test-run""";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
