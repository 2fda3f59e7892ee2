package io.personagate.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports {@link InvalidSettingsException} as a short "APPLICATION FAILED TO START"
 * notice that names each setting, what is wrong with it and what to do.
 */
public class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
		StringBuilder description = new StringBuilder("The service is not configured to run:\n");
		StringBuilder action = new StringBuilder();
		for (InvalidSettingsException.InvalidSetting setting : cause.settings()) {
			description.append("\n\t").append(setting.describe());
			action.append("- ").append(setting.action()).append('\n');
		}
		action.append("""
				Every setting is described in docs/configuration.md. To run the service on your machine \
				without any of them, use development mode: ./mvnw spring-boot:test-run""");
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
