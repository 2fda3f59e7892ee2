package io.personagate.gate;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.schema.DataFetchingEnvironment;
import io.personagate.config.CorrelationIds;
import io.personagate.config.ErrorCodes;
import io.personagate.persona.LogSafe;
import io.personagate.persona.PersonaException;
import io.personagate.security.UnauthenticatedException;
import io.personagate.store.ClaimTimeoutException;
import io.r2dbc.spi.R2dbcException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * Maps every failure the gate knows about to a GraphQL error with a classification and a
 * message a client developer can act on.
 */
@ControllerAdvice
public class GateExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(GateExceptionHandler.class);

	private final Clock clock;

	public GateExceptionHandler(Clock clock) {
		this.clock = clock;
	}

	@GraphQlExceptionHandler
	GraphQLError unknownTemplate(UnknownTemplateException ex, DataFetchingEnvironment env) {
		return error(env, ErrorType.BAD_REQUEST, ex.getMessage());
	}

	@GraphQlExceptionHandler({ InvalidInputException.class, GrantRefusedException.class })
	GraphQLError badRequest(RuntimeException ex, DataFetchingEnvironment env) {
		return error(env, ErrorType.BAD_REQUEST, ex.getMessage());
	}

	/**
	 * An argument refused by Bean Validation: named by its path below the operation
	 * ({@code referenceId}, {@code input.note}), never repeated, so that nothing of it
	 * reaches a log line or another client.
	 */
	@GraphQlExceptionHandler
	GraphQLError invalidArgument(ConstraintViolationException ex, DataFetchingEnvironment env) {
		String message = ex.getConstraintViolations()
			.stream()
			.map((violation) -> argument(violation.getPropertyPath()) + " " + violation.getMessage())
			.sorted()
			.distinct()
			.collect(Collectors.joining("; "));
		return error(env, ErrorType.BAD_REQUEST, message);
	}

	private static String argument(Path path) {
		List<String> names = new ArrayList<>();
		for (Path.Node node : path) {
			if (node.getKind() == ElementKind.PARAMETER || node.getKind() == ElementKind.PROPERTY) {
				names.add(node.getName());
			}
		}
		return String.join(".", names);
	}

	@GraphQlExceptionHandler
	GraphQLError forbidden(AccessDeniedException ex, DataFetchingEnvironment env) {
		return error(env, ErrorType.FORBIDDEN,
				"The bearer token does not carry the scope this operation needs: gate:read to read any user's gate, "
						+ "gate:admin to change it");
	}

	@GraphQlExceptionHandler
	GraphQLError unauthenticated(UnauthenticatedException ex, DataFetchingEnvironment env) {
		return error(env, ErrorType.UNAUTHORIZED, ex.getMessage());
	}

	@GraphQlExceptionHandler
	GraphQLError busy(ClaimTimeoutException ex, DataFetchingEnvironment env) {
		return error(env, GateErrorType.BUSY, ex.getMessage());
	}

	@GraphQlExceptionHandler
	GraphQLError rateLimited(PersonaException.CallerRateLimited ex, DataFetchingEnvironment env) {
		long seconds = ex.retryAfter().toSeconds();
		return error(env, GateErrorType.RATE_LIMITED,
				ex.getMessage() + "; nothing was decided. Retry in " + seconds + " s.",
				Map.of("retryAfterSeconds", seconds, "retryAt",
						this.clock.instant().plus(ex.retryAfter()).truncatedTo(ChronoUnit.SECONDS).toString()));
	}

	@GraphQlExceptionHandler
	GraphQLError persona(PersonaException ex, DataFetchingEnvironment env) {
		if (ex instanceof PersonaException.Unauthorized) {
			return error(env, GateErrorType.SERVICE_MISCONFIGURED,
					"Identity verification is unavailable because this service's Persona credentials were refused. "
							+ "This is not a problem with your request; the operators have been alerted.");
		}
		if (ex instanceof PersonaException.Rejected || ex instanceof PersonaException.NotFound
				|| ex instanceof PersonaException.Conflict) {
			logger.warn("Persona rejected a request: {} (Request-Id {})", LogSafe.of(ex.getMessage()),
					LogSafe.of(ex.requestId()));
			return error(env, GateErrorType.UPSTREAM_REJECTED,
					"Persona rejected the request (HTTP " + ex.status() + "); nothing was decided");
		}
		logger.warn("Persona unavailable: {} (Request-Id {})", LogSafe.of(ex.getMessage()), LogSafe.of(ex.requestId()));
		return error(env, GateErrorType.UPSTREAM_UNAVAILABLE,
				"Persona could not be reached to check this user's verification; nothing was decided. Retry later.");
	}

	@GraphQlExceptionHandler({ DataAccessException.class, R2dbcException.class })
	GraphQLError database(Exception ex, DataFetchingEnvironment env) {
		logger.warn("Database unavailable: {}", LogSafe.of(ex.toString()));
		return error(env, GateErrorType.DATABASE_UNAVAILABLE,
				"The gate's database is unavailable; nothing was decided. Retry shortly.");
	}

	private static GraphQLError error(DataFetchingEnvironment env, ErrorClassification type, String message) {
		return error(env, type, message, Map.of());
	}

	private static GraphQLError error(DataFetchingEnvironment env, ErrorClassification type, String message,
			Map<String, Object> details) {
		GraphQLError.Builder<?> builder = GraphQLError.newError()
			.errorType(type)
			.message(message)
			.path(env.getExecutionStepInfo().getPath())
			.location(env.getField().getSourceLocation());
		Map<String, Object> extensions = new LinkedHashMap<>(details);
		extensions.put(ErrorCodes.KEY, type.toString());
		Object correlationId = env.getGraphQlContext().get(CorrelationIds.KEY);
		if (correlationId != null) {
			extensions.put(CorrelationIds.KEY, correlationId);
		}
		return builder.extensions(extensions).build();
	}

}
