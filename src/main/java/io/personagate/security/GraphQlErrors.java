package io.personagate.security;

import java.util.Map;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;

import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;

/**
 * Answers to GraphQL requests that are refused before anything of them runs.
 */
public final class GraphQlErrors {

	private GraphQlErrors() {
	}

	/** A response with this one error and no data. */
	public static WebGraphQlResponse refused(WebGraphQlRequest request, ErrorClassification type, String message) {
		ExecutionResult result = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError()
				.errorType(type)
				.message(message)
				// as config.ErrorCodes puts on every executed result: this one is not
				// executed
				.extensions(Map.of("code", String.valueOf(type)))
				.build())
			.build();
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
	}

}
