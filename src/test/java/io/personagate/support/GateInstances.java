package io.personagate.support;

import java.util.HashMap;
import java.util.Map;

import io.personagate.GateApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts whole instances of the service on random ports, for tests that need more than one or need to
 * start and stop one themselves.
 */
public final class GateInstances {

	private GateInstances() {
	}

	/** An instance on the test profile, talking to {@code persona} and {@code database}. */
	public static ConfigurableApplicationContext start(FakePersona persona, TestDatabase database, String... args) {
		return start(persona.baseUrl(), database.r2dbcUrl(), database.jdbcUrl(), database.user(), database.password(),
				args);
	}

	/**
	 * An instance on the test profile with these connection settings; {@code args} (as
	 * {@code --name=value}) override anything, the test profile included.
	 */
	public static ConfigurableApplicationContext start(String personaBaseUrl, String r2dbcUrl, String jdbcUrl,
			String user, String password, String... args) {
		Map<String, Object> defaults = new HashMap<>(Map.of("server.port", "0", "persona.base-url", personaBaseUrl,
				"spring.r2dbc.url", r2dbcUrl, "spring.r2dbc.username", user, "spring.flyway.url", jdbcUrl,
				"spring.flyway.user", user));
		if (password != null && !password.isEmpty()) {
			defaults.put("spring.r2dbc.password", password);
			defaults.put("spring.flyway.password", password);
		}
		return new SpringApplicationBuilder(GateApplication.class).profiles("test").properties(defaults).run(args);
	}

	public static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	public static String baseUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + port(instance);
	}

}
