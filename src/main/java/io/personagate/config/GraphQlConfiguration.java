package io.personagate.config;

import java.util.List;

import graphql.ErrorClassification;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.scalars.ExtendedScalars;
import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.gate.GateErrorType;

import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * GraphQL wiring that is not a controller: the scalars the schema uses, and the limits of
 * {@code gate.graphql} on what one request may ask. Depth and complexity are
 * graphql-java's own checks, which refuse an operation before any field of it runs; only
 * their errors are ours, so that a client can tell them apart from an aborted execution.
 * Operations are parsed and validated once per distinct text ({@link ParsedDocuments}).
 */
@Configuration(proxyBeanMethods = false)
public class GraphQlConfiguration {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return (wiring) -> wiring.scalar(ExtendedScalars.DateTime);
	}

	@Bean
	GraphQlSourceBuilderCustomizer parsedDocuments(GateProperties properties, MeterRegistry meters) {
		ParsedDocuments documents = new ParsedDocuments(properties.graphql().parsedDocuments(), meters);
		return (builder) -> builder.configureGraphQl((graphQl) -> graphQl.preparsedDocumentProvider(documents));
	}

	@Bean
	MaxQueryDepthInstrumentation maxQueryDepth(GateProperties properties) {
		return new MaxQueryDepthInstrumentation(properties.graphql().maxDepth()) {

			@Override
			protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
				return refused(GateErrorType.QUERY_TOO_DEEP, "Operation too deep: its fields nest " + depth
						+ " levels and this service allows at most " + maxDepth + ". Nest fewer fields.");
			}

		};
	}

	@Bean
	MaxQueryComplexityInstrumentation maxQueryComplexity(GateProperties properties) {
		return new MaxQueryComplexityInstrumentation(properties.graphql().maxComplexity()) {

			@Override
			protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
				return refused(GateErrorType.QUERY_TOO_COMPLEX,
						"Operation too complex: it selects " + complexity + " fields (each alias counted) and this "
								+ "service allows at most " + maxComplexity
								+ ". Select fewer fields or aliases, or split it into several operations.");
			}

		};
	}

	@Bean
	GraphQlRequestSizeLimit graphQlRequestSizeLimit(GateProperties properties, GraphQlProperties graphQl) {
		return new GraphQlRequestSizeLimit(graphQl.getHttp().getPath(), properties.graphql().maxRequestSize());
	}

	private static AbortExecutionException refused(ErrorClassification type, String message) {
		return new AbortExecutionException(
				List.of(GraphqlErrorBuilder.newError().errorType(type).message(message).build()));
	}

}
