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
 * the environment's token bucket and from the user's, or from none, atomically; a call
 * the operator API asked for is one call of {@code persona_operator_permit}, which takes
 * from the operator's bucket and the operators' share too. Users' and operators' buckets
 * that have refilled are deleted once a minute, so the table holds only those who called
 * Persona in the last few minutes.
 */
@Component
public class PersonaBudget implements PersonaPermits, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(PersonaBudget.class);

	private static final String PERMIT = """
			select granted, limited_by, wait_seconds
			  from persona_permit(:ref, :template, :capacity, :perSecond, :maxWait,
			                      :userCapacity, :userPerSecond, :shareCapacity, :sharePerSecond)
			""";

	private static final String OPERATOR_PERMIT = """
			select granted, limited_by, wait_seconds
			  from persona_operator_permit(:operator, :ref, :template, :capacity, :perSecond, :maxWait,
			                               :userCapacity, :userPerSecond, :shareCapacity, :sharePerSecond,
			                               :operatorCapacity, :operatorPerSecond, :operatorsCapacity,
			                               :operatorsPerSecond)
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

	private final double operatorCapacity;

	private final double operatorPerSecond;

	private final double operatorsCapacity;

	private final double operatorsPerSecond;

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
		PersonaProperties.Operators operators = limit.operators();
		this.operatorCapacity = operators.burst();
		this.operatorPerSecond = operators.requestsPerMinute() / 60.0;
		this.operatorsCapacity = Math.max(1, operators.maxShare() * limit.burst());
		this.operatorsPerSecond = operators.maxShare() * this.perSecond;
		double refillSeconds = Math.max(
				Math.max(this.userCapacity / this.userPerSecond, this.shareCapacity / this.sharePerSecond),
				this.operatorCapacity / this.operatorPerSecond);
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
		boolean byOperator = caller != null && caller.operator() != null;
		DatabaseClient.GenericExecuteSpec permit = this.db.sql(byOperator ? OPERATOR_PERMIT : PERMIT)
			.bind("capacity", this.capacity)
			.bind("perSecond", this.perSecond)
			.bind("maxWait", this.maxWait)
			.bind("userCapacity", this.userCapacity)
			.bind("userPerSecond", this.userPerSecond)
			.bind("shareCapacity", this.shareCapacity)
			.bind("sharePerSecond", this.sharePerSecond);
		permit = (caller != null && caller.referenceId() != null)
				? permit.bind("ref", caller.referenceId()).bind("template", caller.templateId())
				: permit.bindNull("ref", String.class).bindNull("template", String.class);
		if (byOperator) {
			permit = permit.bind("operator", caller.operator())
				.bind("operatorCapacity", this.operatorCapacity)
				.bind("operatorPerSecond", this.operatorPerSecond)
				.bind("operatorsCapacity", this.operatorsCapacity)
				.bind("operatorsPerSecond", this.operatorsPerSecond);
		}
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
		return Mono
			.error(new PersonaException.CallerRateLimited(refusal(permit.limitedBy()), Duration.ofSeconds(seconds)));
	}

	private static String refusal(String limitedBy) {
		return switch (limitedBy) {
			case "operator" -> "This operator (the token's subject) has used their allowance of Persona requests "
					+ "for now (persona.rate-limit.operators)";
			case "operators" -> "The operator API has used its share of the Persona request budget for now "
					+ "(persona.rate-limit.operators.max-share)";
			case "share" -> "This user has made too many identity checks for now";
			default -> "This user has made too many identity checks on this template for now";
		};
	}

	@Override
	public void destroy() {
		this.forgetting.dispose();
	}

	private record Permit(boolean granted, String limitedBy, double waitSeconds) {
	}

}
