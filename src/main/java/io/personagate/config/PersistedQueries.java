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
 * with its text and matched it; a request that sends a text runs that text, never the one
 * kept for its hash. Parsing and validating stay with {@link ParsedDocuments}, keyed by
 * the text, so an operation is parsed once however it is sent. Bounded by the bytes of
 * the texts kept ({@code gate.graphql.persisted-queries-max-size}); when full, Caffeine's
 * W-TinyLFU keeps a hash in use over any number of texts sent once. Its frequency sketch
 * starts counting only once the store is half full, so a hash left unused from then on
 * can be pushed out (it is simply sent again with its text). Counted as the
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
		String text = input.getQuery();
		if (text == null || text.isBlank() || text.equals(PersistedQuerySupport.PERSISTED_QUERY_MARKER)) {
			String known = this.texts.getIfPresent(hash);
			if (known == null) {
				throw new PersistedQueryNotFound(hash);
			}
			return CompletableFuture.completedFuture(parse.apply(known));
		}
		// the text sent is what runs, and only if the hash is its own
		// (PersistedQueryIdInvalid otherwise), whatever text the hash was kept for
		PreparsedDocumentEntry entry = parse.apply(text);
		this.texts.get(hash, (kept) -> text);
		return CompletableFuture.completedFuture(entry);
	}

}
