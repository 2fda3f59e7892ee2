package io.personagate.config;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.parser.ParserOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import org.springframework.util.unit.DataSize;

/**
 * Keeps each operation text parsed and validated once: apps send the same few operations
 * over and over, and parsing and validating them is most of what a cached answer costs
 * the GraphQL layer. Keyed by the whole text (variables are not part of it), and counted
 * as the {@code graphql.documents} cache.
 * <p>
 * Bounded by bytes, not entries: a large text of many tokens parses into a document (and,
 * when invalid, errors) of about 100 bytes of heap per token, so each entry weighs what
 * {@link #weigh} estimates and the cache keeps no more than
 * {@code gate.graphql.parsed-documents-max-size} in all. The parser itself refuses a text
 * of more than {@code gate.graphql.max-tokens} tokens or
 * {@code gate.graphql.max-request-size} characters before building anything.
 */
final class ParsedDocuments implements PreparsedDocumentProvider {

	/** Retained heap per token measured with graphql-java 25 (106 bytes), rounded up. */
	static final int BYTES_PER_TOKEN = 128;

	private final Cache<String, Parsed> documents;

	private final ParserOptions parserOptions;

	ParsedDocuments(DataSize maxSize, ParserOptions parserOptions, MeterRegistry meters) {
		this.parserOptions = parserOptions;
		this.documents = Caffeine.newBuilder()
			.maximumWeight(maxSize.toBytes())
			.weigher((String text, Parsed parsed) -> parsed.weight())
			.recordStats()
			.build();
		CaffeineCacheMetrics.monitor(meters, this.documents, "graphql.documents");
	}

	/**
	 * The parser limits of {@code gate.graphql}: a text may not be longer than a request
	 * may be, nor hold more than {@code maxTokens} tokens.
	 */
	static ParserOptions parserOptions(GateProperties.GraphQl settings) {
		int maxCharacters = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestSize().toBytes());
		return ParserOptions.getDefaultOperationParserOptions()
			.transform((options) -> options.maxCharacters(maxCharacters).maxTokens(settings.maxTokens()));
	}

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		return CompletableFuture.completedFuture(
				this.documents.get(input.getQuery(), (text) -> parse(text, input, parseAndValidate)).entry());
	}

	/**
	 * The estimated heap that the entries take once the evictions already due have run:
	 * Caffeine evicts on its executor a moment after the write that went over the bound.
	 */
	long weight() {
		this.documents.cleanUp();
		return this.documents.policy().eviction().orElseThrow().weightedSize().orElse(0);
	}

	private Parsed parse(String text, ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		int[] tokens = new int[1];
		// graphql-java's parse reads its options from the request's context
		input.getGraphQLContext()
			.put(ParserOptions.class, this.parserOptions.transform((options) -> options.parsingListener((token) -> {
				tokens[0]++;
			})));
		PreparsedDocumentEntry entry = parseAndValidate.apply(input);
		return new Parsed(entry, weigh(text, tokens[0]));
	}

	/**
	 * The heap an entry is taken to hold: the text itself at two bytes a character, and
	 * {@link #BYTES_PER_TOKEN} for each token read (the document's nodes, and the errors
	 * of an invalid one).
	 */
	static int weigh(String text, int tokens) {
		long bytes = 2L * text.length() + (long) BYTES_PER_TOKEN * tokens;
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	private record Parsed(PreparsedDocumentEntry entry, int weight) {
	}

}
