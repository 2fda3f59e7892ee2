package io.personagate.config;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Refuses to start without the database URLs, before any bean needs them, naming what is
 * missing. Left to itself Spring Boot reports a missing {@code spring.r2dbc.url} with
 * advice about embedded databases, and a missing {@code spring.flyway.url} does not stop
 * the start at all: the migrations are skipped and the first request finds no tables.
 */
@Component
class RequiredDatabaseSettings implements BeanFactoryPostProcessor, EnvironmentAware {

	static final String R2DBC_URL = "spring.r2dbc.url";

	static final String FLYWAY_URL = "spring.flyway.url";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		List<String> missing = new ArrayList<>();
		if (!StringUtils.hasText(this.environment.getProperty(R2DBC_URL))) {
			missing.add(R2DBC_URL);
		}
		if (this.environment.getProperty("spring.flyway.enabled", Boolean.class, true)
				&& !StringUtils.hasText(this.environment.getProperty(FLYWAY_URL))) {
			missing.add(FLYWAY_URL);
		}
		if (!missing.isEmpty()) {
			throw new MissingDatabaseSettingsException(missing);
		}
	}

}
