package io.personagate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL the tests use: a real server, started once per test run. By default an
 * embedded one (real PostgreSQL binaries from Maven Central, nothing to install); set
 * {@code GATE_TEST_DB_URL} to a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres} to use an existing
 * server instead. Either way the tests get a fresh database of their own.
 */
public final class TestDatabase {

	private static TestDatabase instance;

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	private final String database;

	private TestDatabase(String host, int port, String user, String password, String adminJdbcUrl) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
		this.database = "gate_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(adminJdbcUrl, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + this.database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test database at " + host + ":" + port, ex);
		}
	}

	public static synchronized TestDatabase get() {
		if (instance == null) {
			instance = start();
		}
		return instance;
	}

	private static TestDatabase start() {
		String external = System.getenv("GATE_TEST_DB_URL");
		if (external != null && !external.isBlank()) {
			java.net.URI uri = java.net.URI.create(external.substring("jdbc:".length()));
			String user = queryParam(uri.getQuery(), "user", "postgres");
			String password = queryParam(uri.getQuery(), "password", "");
			return new TestDatabase(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432, user, password,
					"jdbc:postgresql://" + uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : 5432)
							+ uri.getPath());
		}
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is going away; the data directory is temporary anyway
				}
			}));
			return new TestDatabase("localhost", postgres.getPort(), "postgres", "",
					postgres.getJdbcUrl("postgres", "postgres"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL", ex);
		}
	}

	private static String queryParam(String query, String name, String fallback) {
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

	public String r2dbcUrl() {
		return "r2dbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	public String user() {
		return this.user;
	}

	public String password() {
		return this.password;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), this.user, this.password);
	}

	/**
	 * Empties every table the service writes, between tests, and tells the running
	 * instances to forget what they remember of them, as an operator who empties the
	 * cache by hand does.
	 */
	public void clear() {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(
					"truncate persona_inquiry, gate_check, inquiry_claim, webhook_event, gate_decision, gate_audit, inquiry_grant, reconcile_state, persona_budget");
			statement.execute("notify gate_changed");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The number of rows a query's first column counts. */
	public long count(String sql, Object... args) {
		try (Connection connection = connect(); var statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			try (var rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs a statement behind the service's back, as an operator's hand edit does: an
	 * update sends no notification unless the statement is one. Returns the rows changed,
	 * or -1 for a statement that returns rows.
	 */
	public int update(String sql, Object... args) {
		try (Connection connection = connect(); var statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			statement.execute();
			return statement.getUpdateCount();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String string(String sql, Object... args) {
		try (Connection connection = connect(); var statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			try (var rs = statement.executeQuery()) {
				return rs.next() ? rs.getString(1) : null;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
