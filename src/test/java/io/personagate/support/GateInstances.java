package io.personagate.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.personagate.DevGateApplication;
import io.personagate.GateApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts whole instances of the service on random ports, for tests that need more than
 * one or need to start and stop one themselves.
 */
public final class GateInstances {

	private GateInstances() {
	}

	/**
	 * An instance on the test profile, talking to {@code persona} and {@code database}.
	 */
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
		Map<String, Object> defaults = new HashMap<>(
				Map.of("server.port", "0", "persona.base-url", personaBaseUrl, "spring.r2dbc.url", r2dbcUrl,
						"spring.r2dbc.username", user, "spring.flyway.url", jdbcUrl, "spring.flyway.user", user));
		if (password != null && !password.isEmpty()) {
			defaults.put("spring.r2dbc.password", password);
			defaults.put("spring.flyway.password", password);
		}
		return new SpringApplicationBuilder(GateApplication.class).profiles("test").properties(defaults).run(args);
	}

	/**
	 * Development mode as {@code ./mvnw spring-boot:test-run} starts it, on random ports,
	 * with its embedded PostgreSQL in {@code dataDir} (or the tests' database when
	 * {@code GATE_TEST_DB_URL} is set); {@code extraArgs} as {@code --name=value}.
	 */
	public static ConfigurableApplicationContext startDevelopmentMode(Path dataDir, String... extraArgs) {
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--dev.postgres.data-dir=" + dataDir, "--dev.persona.latency=20ms",
						"--dev.spa.port=0", "--logging.level.root=" + System.getProperty("tests.log.level", "WARN")));
		args.addAll(List.of(extraArgs));
		if (System.getenv("GATE_TEST_DB_URL") != null) {
			TestDatabase database = TestDatabase.get();
			args.addAll(List.of("--spring.r2dbc.url=" + database.r2dbcUrl(),
					"--spring.r2dbc.username=" + database.user(), "--spring.r2dbc.password=" + database.password(),
					"--spring.flyway.url=" + database.jdbcUrl(), "--spring.flyway.user=" + database.user(),
					"--spring.flyway.password=" + database.password()));
		}
		return DevGateApplication.run(args.toArray(String[]::new)).getApplicationContext();
	}

	public static int port(ConfigurableApplicationContext instance) {
		return ((WebServerApplicationContext) instance).getWebServer().getPort();
	}

	public static String baseUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + port(instance);
	}

}
