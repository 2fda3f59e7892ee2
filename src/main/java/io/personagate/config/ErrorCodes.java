package io.personagate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;

/**
 * Puts {@code extensions.code} on every GraphQL error, where Apollo and urql clients look
 * for it, with the value of its {@code extensions.classification}: {@code BAD_REQUEST},
 * {@code UPSTREAM_UNAVAILABLE}, {@code ValidationError},
 * {@code PersistedQueryNotFound}... Every result passes here, refused operations and each
 * subscription event included.
 */
public final class ErrorCodes extends SimplePerformantInstrumentation {

	public static final String KEY = "code";

	@Override
	public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		List<GraphQLError> errors = result.getErrors();
		if (errors.isEmpty() || errors.stream().allMatch(ErrorCodes::hasCode)) {
			return CompletableFuture.completedFuture(result);
		}
		List<GraphQLError> coded = errors.stream().map(ErrorCodes::withCode).toList();
		return CompletableFuture.completedFuture(result.transform((builder) -> builder.errors(coded)));
	}

	/** The error with its classification as {@code extensions.code}, if it has none. */
	public static GraphQLError withCode(GraphQLError error) {
		if (hasCode(error) || error.getErrorType() == null) {
			return error;
		}
		Map<String, Object> extensions = new LinkedHashMap<>();
		if (error.getExtensions() != null) {
			extensions.putAll(error.getExtensions());
		}
		extensions.put(KEY, String.valueOf(error.getErrorType().toSpecification(error)));
		GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError()
			.message(error.getMessage())
			.errorType(error.getErrorType())
			.extensions(extensions);
		if (error.getLocations() != null) {
			builder.locations(error.getLocations());
		}
		if (error.getPath() != null) {
			builder.path(error.getPath());
		}
		return builder.build();
	}

	private static boolean hasCode(GraphQLError error) {
		return error.getExtensions() != null && error.getExtensions().get(KEY) != null;
	}

}
