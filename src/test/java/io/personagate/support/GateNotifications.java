package io.personagate.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the channel the service notifies its instances on, as another instance
 * would, so that a test can tell which writes notified.
 */
public final class GateNotifications implements AutoCloseable {

	private static final long WAIT_MILLIS = 10_000;

	private final TestDatabase database;

	private final Connection connection;

	private GateNotifications(TestDatabase database, Connection connection) {
		this.database = database;
		this.connection = connection;
	}

	public static GateNotifications listen(TestDatabase database) {
		try {
			Connection connection = database.connect();
			try (Statement statement = connection.createStatement()) {
				statement.execute("listen gate_changed");
			}
			return new GateNotifications(database, connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The payloads of every notification received since the last call, up to a marker
	 * sent now: PostgreSQL delivers notifications in commit order, so whatever a write
	 * committed before this call notified is among them.
	 */
	public List<String> untilNow() {
		String marker = "{\"r\":\"marker-" + UUID.randomUUID() + "\",\"t\":\"itmpl_Marker\"}";
		this.database.update("select pg_notify('gate_changed', ?)", marker);
		List<String> received = new ArrayList<>();
		long deadline = System.currentTimeMillis() + WAIT_MILLIS;
		try {
			PGConnection postgres = this.connection.unwrap(PGConnection.class);
			while (System.currentTimeMillis() < deadline) {
				PGNotification[] notifications = postgres.getNotifications(500);
				if (notifications == null) {
					continue;
				}
				for (PGNotification notification : notifications) {
					if (marker.equals(notification.getParameter())) {
						return received;
					}
					received.add(notification.getParameter());
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("The marker notification did not arrive within " + WAIT_MILLIS + " ms");
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
