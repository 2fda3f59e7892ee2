package io.personagate.config;

import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.execution.preparsed.persisted.ApolloPersistedQuerySupport;
import graphql.scalars.ExtendedScalars;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webflux.GraphQlHttpHandler;
import org.springframework.graphql.server.webflux.GraphQlSseHandler;

/**
 * GraphQL wiring that is not a controller: the scalars the schema uses, and the limits of
 * {@code gate.graphql} on what one request may ask. The parser's limits (characters,
 * tokens) and the bounded cache of parsed operations are {@link ParsedDocuments}; depth
 * and the count of resolved fields ({@link OperationLimits}) are checked on
 * graphql-java's executable normalized operation before any field runs, with errors of
 * our own, so that a client can tell them apart from an aborted execution. Operations may
 * be sent by hash ({@link PersistedQueries}, their extension checked by
 * {@link GraphQlExtensions}); every error carries {@code extensions.code}
 * ({@link ErrorCodes}), and a body without a request is answered with one
 * ({@link GraphQlHttpEndpoint}).
 */
@Configuration(proxyBeanMethods = false)
public class GraphQlConfiguration {

	@Bean
	RuntimeWiringConfigurer scalars() {
		return (wiring) -> wiring.scalar(ExtendedScalars.DateTime);
	}

	@Bean
	ParsedDocuments parsedDocuments(GateProperties properties, MeterRegistry meters) {
		return new ParsedDocuments(properties.graphql().parsedDocumentsMaxSize(),
				ParsedDocuments.parserOptions(properties.graphql()), meters);
	}

	@Bean
	GraphQlSourceBuilderCustomizer parsedDocumentsProvider(ParsedDocuments documents, GateProperties properties,
			MeterRegistry meters) {
		ApolloPersistedQuerySupport persistedQueries = new ApolloPersistedQuerySupport(
				new PersistedQueries(properties.graphql().persistedQueriesMaxSize().toBytes(), meters));
		// an operation sent by hash is parsed and validated by its text, once, like any
		// other
		PreparsedDocumentProvider provider = (input, parse) -> persistedQueries.getDocumentAsync(input,
				(withText) -> documents.getDocumentAsync(withText, parse).join());
		return (builder) -> builder.configureGraphQl((graphQl) -> graphQl.preparsedDocumentProvider(provider));
	}

	@Bean
	GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler) {
		return new GraphQlHttpEndpoint(handler);
	}

	@Bean
	GraphQlSseHandler graphQlSseHandler(WebGraphQlHandler handler, GraphQlProperties properties) {
		return new GraphQlHttpEndpoint.Sse(handler, properties.getHttp().getSse().getTimeout(),
				properties.getHttp().getSse().getKeepAlive());
	}

	@Bean
	ErrorCodes errorCodes() {
		return new ErrorCodes();
	}

	@Bean
	OperationLimits operationLimits(GateProperties properties) {
		return new OperationLimits(properties.graphql().maxComplexity(), properties.graphql().maxDepth());
	}

	@Bean
	GraphQlRequestSizeLimit graphQlRequestSizeLimit(GateProperties properties, GraphQlProperties graphQl) {
		return new GraphQlRequestSizeLimit(graphQl.getHttp().getPath(), properties.graphql().maxRequestSize());
	}

}
