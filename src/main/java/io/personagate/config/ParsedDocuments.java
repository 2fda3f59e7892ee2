package io.personagate.config;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Keeps each operation text parsed and validated once: apps send the same few operations
 * over and over, and parsing and validating them is most of what a cached answer costs
 * the GraphQL layer. Keyed by the whole text (variables are not part of it), bounded, and
 * counted as the {@code graphql.documents} cache.
 */
final class ParsedDocuments implements PreparsedDocumentProvider {

	private final Cache<String, PreparsedDocumentEntry> documents;

	ParsedDocuments(long maxEntries, MeterRegistry meters) {
		this.documents = Caffeine.newBuilder().maximumSize(maxEntries).recordStats().build();
		CaffeineCacheMetrics.monitor(meters, this.documents, "graphql.documents");
	}

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		return CompletableFuture
			.completedFuture(this.documents.get(input.getQuery(), (query) -> parseAndValidate.apply(input)));
	}

}
