package io.personagate.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.personagate.config.InvalidSettingsException.InvalidSetting;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Refuses to start without the settings the service cannot do without, before any bean
 * needs them, naming all that are missing at once. Left to itself Spring Boot reports a
 * missing {@code spring.r2dbc.url} with advice about embedded databases; a missing
 * {@code spring.flyway.url} skips the migrations; no gated template starts a service that
 * refuses every question; no JWT settings end in "required a bean of type
 * 'ReactiveJwtDecoder'"; and tokens checked for no audience let in every token the
 * identity provider issued for any other application.
 */
@Component
class RequiredSettings implements BeanFactoryPostProcessor, EnvironmentAware {

	static final String R2DBC_URL = "spring.r2dbc.url";

	static final String FLYWAY_URL = "spring.flyway.url";

	static final String TEMPLATE_ID = "gate.templates[0].id";

	static final String JWT = "spring.security.oauth2.resourceserver.jwt";

	static final String AUDIENCES = JWT + ".audiences";

	static final String ACCEPT_ANY_AUDIENCE = "gate.jwt.accept-any-audience";

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Binder binder = Binder.get(this.environment);
		List<InvalidSetting> invalid = new ArrayList<>();
		if (!StringUtils.hasText(this.environment.getProperty(R2DBC_URL))) {
			invalid.add(new InvalidSetting(R2DBC_URL,
					"is not set: the database the service reads and writes, e.g. r2dbc:postgresql://db.example:5432/gate",
					"Set " + R2DBC_URL + " with its credentials (SPRING_R2DBC_USERNAME, SPRING_R2DBC_PASSWORD)."));
		}
		if (this.environment.getProperty("spring.flyway.enabled", Boolean.class, true)
				&& !StringUtils.hasText(this.environment.getProperty(FLYWAY_URL))) {
			invalid.add(new InvalidSetting(FLYWAY_URL,
					"is not set: the same database as a JDBC URL, for the migrations, e.g. jdbc:postgresql://db.example:5432/gate",
					"Set " + FLYWAY_URL + " with its credentials (SPRING_FLYWAY_USER, SPRING_FLYWAY_PASSWORD)."));
		}
		if (!StringUtils.hasText(binder.bind(TEMPLATE_ID, String.class).orElse(null))) {
			invalid.add(new InvalidSetting(TEMPLATE_ID,
					"is not set: no template is gated, so every question " + "would be refused" + misspeltTemplates(),
					"Set the id of each Persona template to gate: gate.templates[0].id, gate.templates[1].id, ... "
							+ "(GATE_TEMPLATES_0_ID, GATE_TEMPLATES_1_ID, ...)."));
		}
		if (beanFactory.getBeanNamesForType(ReactiveJwtDecoder.class, true, false).length == 0) {
			invalid.add(new InvalidSetting(JWT + ".issuer-uri",
					"is not set, nor any other way to check the users' tokens (" + JWT + ".jwk-set-uri or " + JWT
							+ ".public-key-location)",
					"Set " + JWT + ".issuer-uri to your identity provider's issuer (its OpenID discovery document "
							+ "names its keys), or " + JWT + ".jwk-set-uri to the URL of its keys (then also "
							+ "issuer-uri, so that the issuer is checked)."));
		}
		else if (binder.bind(AUDIENCES, Bindable.listOf(String.class)).map(List::isEmpty).orElse(true)
				&& !binder.bind(ACCEPT_ANY_AUDIENCE, Boolean.class).orElse(false)) {
			invalid.add(new InvalidSetting(AUDIENCES,
					"is not set: any token your identity provider issued, for any of its applications, would be accepted",
					"Set " + AUDIENCES + " to the audience (aud) your identity provider puts in tokens for this "
							+ "service; if it puts none, accept that explicitly with " + ACCEPT_ANY_AUDIENCE
							+ "=true (GATE_JWT_ACCEPTANYAUDIENCE)."));
		}
		if (!invalid.isEmpty()) {
			throw new InvalidSettingsException(invalid);
		}
	}

	/**
	 * Settings that look like template settings but bind to nothing, e.g. the environment
	 * variable {@code GATE_TEMPLATE_0_ID} or {@code gate.template[0].id}.
	 */
	private String misspeltTemplates() {
		if (!(this.environment instanceof ConfigurableEnvironment configurable)) {
			return "";
		}
		List<String> misspelt = configurable.getPropertySources()
			.stream()
			.filter(EnumerablePropertySource.class::isInstance)
			.flatMap((source) -> Arrays.stream(((EnumerablePropertySource<?>) source).getPropertyNames()))
			.filter((name) -> {
				String normalized = name.toLowerCase(Locale.ROOT).replace('_', '.');
				return normalized.startsWith("gate.template") && !normalized.startsWith("gate.templates");
			})
			.distinct()
			.sorted()
			.toList();
		return misspelt.isEmpty() ? "" : " (" + String.join(", ", misspelt)
				+ " is set but is no setting: the setting is gate.templates[<n>].id)";
	}

}
