package io.personagate.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Tells every instance of the service when a user's cached inquiries on a template
 * changed, through PostgreSQL {@code LISTEN/NOTIFY}: the writer notifies inside its
 * transaction (delivered on commit), and each instance listens on one dedicated
 * connection and fans the news out to its subscribers. After the listening connection is
 * lost and re-established, every subscriber is told to look again, since notifications
 * sent in between are gone.
 */
@Component
public class GateChanges implements SmartLifecycle {

	static final String CHANNEL = "gate_changed";

	private static final Logger logger = LoggerFactory.getLogger(GateChanges.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Sent to all subscribers when notifications may have been missed. */
	private static final Change EVERYONE = new Change(null, null);

	private final Sinks.Many<Change> sink = Sinks.many().multicast().directBestEffort();

	private final ConnectionFactoryOptions listenerOptions;

	private volatile Disposable listening;

	/**
	 * Numbers the times listening started; 0 while this instance is not listening, when
	 * changes made elsewhere go unnoticed.
	 */
	private final AtomicLong sessions = new AtomicLong();

	private final AtomicLong session = new AtomicLong();

	public GateChanges(R2dbcProperties properties) {
		this.listenerOptions = listenerOptions(properties);
	}

	/**
	 * Within the caller's transaction: tell all instances that this user's gate on this
	 * template changed.
	 */
	public Mono<Void> notify(DatabaseClient db, String referenceId, String templateId) {
		String payload = json.writeValueAsString(Map.of("r", referenceId, "t", templateId));
		return db.sql("select pg_notify('" + CHANNEL + "', :payload)").bind("payload", payload).fetch().all().then();
	}

	/**
	 * Changes of one user's gate on one template (and resync signals), as long as the
	 * caller listens.
	 */
	public Flux<Change> of(String referenceId, String templateId) {
		return this.sink.asFlux().filter((change) -> change.isEveryone() || change.matches(referenceId, templateId));
	}

	/**
	 * Every change, and a resync signal (a change of no user and no template) each time
	 * listening starts again, as long as the caller listens.
	 */
	public Flux<Change> all() {
		return this.sink.asFlux();
	}

	/**
	 * The current listening session: a number that changes each time listening starts
	 * again, or 0 while this instance is not listening, when changes made elsewhere go
	 * unnoticed. What was learnt in one session is told of changes only within it.
	 */
	public long session() {
		return this.session.get();
	}

	@Override
	public void start() {
		this.listening = Flux.defer(this::listenOnce)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(10))
				.doBeforeRetry((signal) -> logger.warn("Lost the LISTEN connection ({}); reconnecting",
						signal.failure().toString())))
			.subscribe((change) -> this.sink.tryEmitNext(change));
	}

	private Flux<Change> listenOnce() {
		// the session this attempt started: a closed connection ends only its own, not
		// one
		// that a restart began meanwhile
		AtomicLong started = new AtomicLong();
		return Flux.usingWhen(Mono.from(ConnectionFactories.get(this.listenerOptions).create()), (connection) -> {
			PostgresqlConnection postgres = (PostgresqlConnection) connection;
			return postgres.createStatement("LISTEN " + CHANNEL)
				.execute()
				.flatMap(PostgresqlResult::getRowsUpdated)
				.then(Mono.fromRunnable(() -> {
					logger.info("Listening for gate changes on '{}'", CHANNEL);
					started.set(this.sessions.incrementAndGet());
					this.session.set(started.get());
				}))
				.thenMany(Flux.just(EVERYONE)
					.concatWith(postgres.getNotifications().map((n) -> parse(n.getParameter()))));
		}, (connection) -> connection.close())
			.concatWith(Mono.error(() -> new IllegalStateException("LISTEN connection closed")))
			.doFinally((signal) -> this.session.compareAndSet(started.get(), 0));
	}

	/**
	 * One user's change, or, for a notification without a payload ({@code NOTIFY
	 * gate_changed}, as an operator sends after editing the cache tables by hand) or one
	 * that cannot be read, a change of everyone.
	 */
	private static Change parse(String payload) {
		if (!StringUtils.hasText(payload)) {
			logger.info("Told on '{}' that anything may have changed; every subscriber looks again", CHANNEL);
			return EVERYONE;
		}
		try {
			JsonNode node = json.readTree(payload);
			String referenceId = node.path("r").asString(null);
			String templateId = node.path("t").asString(null);
			if (referenceId == null || templateId == null) {
				throw new IllegalArgumentException("no user or template");
			}
			return new Change(referenceId, templateId);
		}
		catch (RuntimeException ex) {
			logger.warn("A '{}' notification could not be read; taking it as a change of everyone", CHANNEL);
			return EVERYONE;
		}
	}

	@Override
	public void stop() {
		Disposable current = this.listening;
		if (current != null) {
			current.dispose();
		}
		this.listening = null;
		this.session.set(0);
	}

	@Override
	public boolean isRunning() {
		return this.listening != null && !this.listening.isDisposed();
	}

	private static ConnectionFactoryOptions listenerOptions(R2dbcProperties properties) {
		if (!StringUtils.hasText(properties.getUrl())) {
			throw new IllegalStateException("spring.r2dbc.url must be set (env SPRING_R2DBC_URL)");
		}
		ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(properties.getUrl());
		ConnectionFactoryOptions.Builder builder = parsed.mutate();
		Object driver = parsed.getValue(ConnectionFactoryOptions.DRIVER);
		if ("pool".equals(driver)) {
			builder.option(ConnectionFactoryOptions.DRIVER,
					(String) parsed.getRequiredValue(ConnectionFactoryOptions.PROTOCOL));
			builder.option(ConnectionFactoryOptions.PROTOCOL, "");
		}
		if (StringUtils.hasText(properties.getUsername())) {
			builder.option(ConnectionFactoryOptions.USER, properties.getUsername());
		}
		if (StringUtils.hasText(properties.getPassword())) {
			builder.option(ConnectionFactoryOptions.PASSWORD, properties.getPassword());
		}
		return builder.build();
	}

	/**
	 * A change of one user's gate on one template.
	 *
	 * @param referenceId the user
	 * @param templateId the template
	 */
	public record Change(String referenceId, String templateId) {

		/** Whether this is the resync signal: anything may have changed. */
		public boolean isEveryone() {
			return this.referenceId == null && this.templateId == null;
		}

		boolean matches(String referenceId, String templateId) {
			return referenceId.equals(this.referenceId) && templateId.equals(this.templateId);
		}

	}

}
