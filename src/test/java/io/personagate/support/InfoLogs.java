package io.personagate.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The service's own loggers ({@code io.personagate}) at INFO, their production default,
 * for each test of a class or method that asserts what they log; the tests otherwise log
 * at WARN (src/test/resources/logback-test.xml). Use with {@code OutputCaptureExtension}.
 */
public class InfoLogs implements BeforeEachCallback, AfterEachCallback {

	private static final String LOGGER = "io.personagate";

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InfoLogs.class);

	@Override
	public void beforeEach(ExtensionContext context) {
		Logger logger = logger();
		context.getStore(NAMESPACE).put(LOGGER, new Previous(logger.getLevel()));
		logger.setLevel(Level.INFO);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		Previous previous = context.getStore(NAMESPACE).remove(LOGGER, Previous.class);
		if (previous != null) {
			logger().setLevel(previous.level());
		}
	}

	private static Logger logger() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(LOGGER);
	}

	private record Previous(Level level) {
	}

}
