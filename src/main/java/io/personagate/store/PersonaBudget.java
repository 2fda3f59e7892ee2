package io.personagate.store;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.persona.PersonaCaller;
import io.personagate.persona.PersonaException;
import io.personagate.persona.PersonaPermits;
import io.personagate.persona.PersonaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The Persona request budget in PostgreSQL, shared by every instance on the database:
 * each permit is one call of {@code persona_permit} (see the migration), which takes from
 * the environment's token bucket and from the user's, or from none, atomically. Users'
 * buckets that have refilled are deleted once a minute, so the table holds only the users
 * who called Persona in the last few minutes.
 */
@Component
public class PersonaBudget implements PersonaPermits, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(PersonaBudget.class);

	private static final String PERMIT = """
			select granted, limited_by, wait_seconds
			  from persona_permit(:ref, :template, :capacity, :perSecond, :maxWait,
			                      :userCapacity, :userPerSecond, :shareCapacity, :sharePerSecond)
			""";

	private static final String FORGET_REFILLED = """
			delete from persona_budget
			 where reference_id <> '' and updated_at < now() - make_interval(secs => :refillSeconds)
			""";

	private final DatabaseClient db;

	private final MeterRegistry meters;

	private final double capacity;

	private final double perSecond;

	private final double maxWait;

	private final double userCapacity;

	private final double userPerSecond;

	private final double shareCapacity;

	private final double sharePerSecond;

	private final Disposable forgetting;

	public PersonaBudget(DatabaseClient db, PersonaProperties properties, MeterRegistry meters) {
		this.db = db;
		this.meters = meters;
		PersonaProperties.RateLimit limit = properties.rateLimit();
		PersonaProperties.PerUser perUser = limit.perUser();
		this.capacity = limit.burst();
		this.perSecond = limit.refillPerSecond();
		this.maxWait = limit.maxWait().toMillis() / 1000.0;
		this.userCapacity = perUser.burst();
		this.userPerSecond = perUser.requestsPerMinute() / 60.0;
		this.shareCapacity = Math.max(1, perUser.maxShare() * limit.burst());
		this.sharePerSecond = perUser.maxShare() * this.perSecond;
		double refillSeconds = Math.max(this.userCapacity / this.userPerSecond,
				this.shareCapacity / this.sharePerSecond);
		this.forgetting = Flux.interval(Duration.ofMinutes(1))
			.concatMap((tick) -> this.db.sql(FORGET_REFILLED)
				.bind("refillSeconds", refillSeconds)
				.fetch()
				.rowsUpdated()
				.onErrorResume((ex) -> {
					logger.debug("Could not delete refilled Persona budget rows: {}", ex.toString());
					return Mono.empty();
				}))
			.subscribe();
	}

	@Override
	public Mono<Duration> acquire(PersonaCaller caller) {
		DatabaseClient.GenericExecuteSpec permit = this.db.sql(PERMIT)
			.bind("capacity", this.capacity)
			.bind("perSecond", this.perSecond)
			.bind("maxWait", this.maxWait)
			.bind("userCapacity", this.userCapacity)
			.bind("userPerSecond", this.userPerSecond)
			.bind("shareCapacity", this.shareCapacity)
			.bind("sharePerSecond", this.sharePerSecond);
		permit = (caller != null) ? permit.bind("ref", caller.referenceId()).bind("template", caller.templateId())
				: permit.bindNull("ref", String.class).bindNull("template", String.class);
		return permit
			.map((row, meta) -> new Permit(Boolean.TRUE.equals(row.get("granted", Boolean.class)),
					row.get("limited_by", String.class), row.get("wait_seconds", Double.class)))
			.one()
			.flatMap(this::answer);
	}

	private Mono<Duration> answer(Permit permit) {
		Duration wait = Duration.ofNanos((long) Math.ceil(permit.waitSeconds() * 1e9));
		if (permit.granted()) {
			return Mono.just(wait);
		}
		this.meters.counter("persona.budget.refusals", "limit", permit.limitedBy()).increment();
		if ("budget".equals(permit.limitedBy())) {
			return Mono.error(PersonaPermits.budgetExhausted());
		}
		long seconds = Math.max(1, (long) Math.ceil(permit.waitSeconds()));
		return Mono.error(new PersonaException.CallerRateLimited(
				"This user has made too many identity checks "
						+ ("share".equals(permit.limitedBy()) ? "for now" : "on this template for now"),
				Duration.ofSeconds(seconds)));
	}

	@Override
	public void destroy() {
		this.forgetting.dispose();
	}

	private record Permit(boolean granted, String limitedBy, double waitSeconds) {
	}

}
