package io.personagate.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.personagate.support.FakePersona;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.ConfigDataResource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The services development mode runs in-process, started while the settings are read (by
 * {@code spring.config.import: "dev-services:"} in {@code application-dev.yml}), so that
 * the service finds them through its ordinary settings, exactly as it finds real ones: an
 * embedded PostgreSQL ({@code spring.r2dbc.url}, {@code spring.flyway.url}) and the
 * Persona emulator ({@code persona.base-url}, a generated
 * {@code persona.webhook.secrets}). Both become beans ({@code devPostgres},
 * {@code personaEmulator}) and stop with the application.
 * <p>
 * Settings: {@code dev.postgres.data-dir} (default {@code target/dev-postgres}, emptied
 * at each start); {@code dev.persona.latency} (default 150ms), the emulator's answer
 * delay. When {@code spring.r2dbc.url} is already set, that database is used and no
 * PostgreSQL is started.
 */
public final class DevServices {

	static final String PREFIX = "dev-services:";

	static final Path DEFAULT_DATA_DIR = Path.of("target", "dev-postgres");

	static final Duration DEFAULT_LATENCY = Duration.ofMillis(150);

	private DevServices() {
	}

	/** Resolves {@code dev-services:} to the services to start, with their settings. */
	public static final class LocationResolver implements ConfigDataLocationResolver<Resource> {

		@Override
		public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
			return location.hasPrefix(PREFIX);
		}

		@Override
		public List<Resource> resolve(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
			Binder binder = context.getBinder();
			boolean ownDatabase = binder.bind("spring.r2dbc.url", String.class)
				.map((url) -> !url.isBlank())
				.orElse(false);
			Path dataDir = binder.bind("dev.postgres.data-dir", Path.class).orElse(DEFAULT_DATA_DIR);
			Duration latency = binder.bind("dev.persona.latency", Duration.class).orElse(DEFAULT_LATENCY);
			return List.of(new Resource(ownDatabase ? null : dataDir.toAbsolutePath(), latency));
		}

	}

	/** The API key the emulator of development mode accepts. */
	public static final String API_KEY = "not-a-real-key-persona-is-emulated";

	/** Starts the services and contributes their settings. */
	public static final class Loader implements ConfigDataLoader<Resource> {

		@Override
		public ConfigData load(ConfigDataLoaderContext context, Resource resource) throws IOException {
			Map<String, Object> settings = new LinkedHashMap<>();
			EmbeddedPostgres postgres = (resource.dataDir != null) ? startPostgres(resource.dataDir, settings) : null;
			FakePersona persona = new FakePersona(API_KEY);
			persona.latency(resource.latency.toMillis());
			byte[] secret = new byte[32];
			new SecureRandom().nextBytes(secret);
			settings.put("persona.base-url", persona.baseUrl());
			settings.put("persona.api-key", API_KEY);
			settings.put("persona.webhook.secrets", "dev-" + HexFormat.of().formatHex(secret));
			registerBeans(context.getBootstrapContext(), persona, postgres);
			return new ConfigData(List.of(new MapPropertySource("devServices", settings)));
		}

		private static EmbeddedPostgres startPostgres(Path dataDir, Map<String, Object> settings) throws IOException {
			emptyDataDir(dataDir);
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(true)
				.start();
			String address = "//localhost:" + postgres.getPort() + "/postgres";
			settings.put("spring.r2dbc.url", "r2dbc:postgresql:" + address);
			settings.put("spring.r2dbc.username", "postgres");
			settings.put("spring.r2dbc.password", "");
			settings.put("spring.flyway.url", "jdbc:postgresql:" + address);
			settings.put("spring.flyway.user", "postgres");
			settings.put("spring.flyway.password", "");
			settings.put("dev.postgres.data-dir", dataDir.toString());
			return postgres;
		}

		/**
		 * Removes what a run that was not stopped left behind, unless its PostgreSQL
		 * still runs.
		 */
		private static void emptyDataDir(Path dataDir) throws IOException {
			Path pidFile = dataDir.resolve("postmaster.pid");
			if (Files.exists(pidFile)) {
				long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
				if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
					throw new IllegalStateException("PostgreSQL (pid " + pid + ") is still running in " + dataDir
							+ ": stop the development mode using it (or that process), or set dev.postgres.data-dir");
				}
			}
			FileSystemUtils.deleteRecursively(dataDir);
		}

		private static void registerBeans(ConfigurableBootstrapContext bootstrap, FakePersona persona,
				EmbeddedPostgres postgres) {
			bootstrap.addCloseListener((event) -> {
				DefaultListableBeanFactory beans = (DefaultListableBeanFactory) event.getApplicationContext()
					.getBeanFactory();
				beans.registerSingleton("personaEmulator", persona);
				beans.registerDisposableBean("personaEmulator", persona::close);
				if (postgres != null) {
					beans.registerSingleton("devPostgres", postgres);
					beans.registerDisposableBean("devPostgres", postgres::close);
				}
			});
		}

	}

	/**
	 * What to start: PostgreSQL in {@code dataDir} (none when {@code null}: the settings
	 * name a database) and the emulator with {@code latency}.
	 */
	public static final class Resource extends ConfigDataResource {

		final Path dataDir;

		final Duration latency;

		Resource(Path dataDir, Duration latency) {
			this.dataDir = dataDir;
			this.latency = latency;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Resource resource && Objects.equals(this.dataDir, resource.dataDir)
					&& this.latency.equals(resource.latency);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.dataDir, this.latency);
		}

		@Override
		public String toString() {
			return PREFIX + " postgres=" + ((this.dataDir != null) ? this.dataDir : "configured") + " persona latency="
					+ this.latency;
		}

	}

}
