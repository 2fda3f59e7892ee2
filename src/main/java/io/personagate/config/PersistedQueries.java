package io.personagate.config;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.persisted.PersistedQueryCache;
import graphql.execution.preparsed.persisted.PersistedQueryCacheMiss;
import graphql.execution.preparsed.persisted.PersistedQueryNotFound;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Automatic persisted queries (Apollo's protocol, run by graphql-java's
 * {@code ApolloPersistedQuerySupport}): a client sends the SHA-256 of its operation in
 * {@code extensions.persistedQuery.sha256Hash}, and the text only when told
 * {@code PersistedQueryNotFound}. This keeps the operation text of each hash that came
 * with its text and matched it; parsing and validating stay with {@link ParsedDocuments},
 * keyed by that text, so an operation is parsed once however it is sent. Bounded by the
 * bytes of the texts kept ({@code gate.graphql.persisted-queries-max-size}); when full,
 * Caffeine keeps the hashes used most, so a flood of new texts cannot push out an app's
 * few (a hash turned away is simply sent again with its text). Counted as the
 * {@code graphql.persisted.queries} cache.
 */
final class PersistedQueries implements PersistedQueryCache {

	/** A hash in hex, the entry's own overhead, rounded up. */
	private static final int ENTRY_OVERHEAD = 200;

	private final Cache<Object, String> texts;

	PersistedQueries(long maxBytes, MeterRegistry meters) {
		this.texts = Caffeine.newBuilder()
			.maximumWeight(maxBytes)
			.weigher((Object hash, String text) -> ENTRY_OVERHEAD + text.getBytes(StandardCharsets.UTF_8).length)
			.executor(Runnable::run)
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meters, this.texts, "graphql.persisted.queries");
	}

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getPersistedQueryDocumentAsync(Object hash, ExecutionInput input,
			PersistedQueryCacheMiss parse) throws PersistedQueryNotFound {
		String known = this.texts.getIfPresent(hash);
		if (known != null) {
			return CompletableFuture.completedFuture(parse.apply(known));
		}
		String text = input.getQuery();
		if (text == null || text.isBlank() || text.equals(PersistedQuerySupport.PERSISTED_QUERY_MARKER)) {
			throw new PersistedQueryNotFound(hash);
		}
		// checks that the hash is the text's (PersistedQueryIdInvalid otherwise) before
		// it
		// is kept
		PreparsedDocumentEntry entry = parse.apply(text);
		this.texts.put(hash, text);
		return CompletableFuture.completedFuture(entry);
	}

}
