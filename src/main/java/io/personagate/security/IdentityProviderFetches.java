package io.personagate.security;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Every read from the identity provider (its discovery document, its key set) goes out at
 * most once per {@code gate.jwt.keys-fetch-interval}, whoever asks: the token checks of
 * every request, HTTP and WebSocket, and the {@code tokenKeys} health check share one
 * answer in that time. Spring Security's decoder reads the key set again for every token
 * whose {@code kid} it does not know, so without this anyone could make the service ask
 * once per forged token, until the identity provider throttled it (429) and readiness
 * failed. When a read fails (no answer, or one other than 2xx such as 429) the last good
 * answer is used instead: keys that were fetched keep checking tokens until a read
 * succeeds again, as Spring Security's decoder, which never drops keys it holds, would do
 * too.
 * <p>
 * Nimbus's {@code JWKSourceBuilder} has the same rate limit and outage tolerance, but its
 * sources fetch with a blocking {@code ResourceRetriever}, on the event loop here, and
 * Spring Security's reactive decoder takes no {@code JWKSource}; this filter on the
 * decoder's {@code WebClient} (Spring Boot's
 * {@code JwkSetUriReactiveJwtDecoderBuilderCustomizer}) keeps Spring Security's decoder,
 * key selection and validators as they are, for {@code jwk-set-uri} and
 * {@code issuer-uri} alike.
 */
@Component
public class IdentityProviderFetches implements ExchangeFilterFunction {

	private static final Logger logger = LoggerFactory.getLogger(IdentityProviderFetches.class);

	private final Duration interval;

	private final Map<URI, Mono<Answer>> reads = new ConcurrentHashMap<>();

	private final Map<URI, Answer> lastGood = new ConcurrentHashMap<>();

	private final AtomicReference<String> failing = new AtomicReference<>();

	public IdentityProviderFetches(TokenProperties properties) {
		this.interval = properties.keysFetchInterval();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!HttpMethod.GET.equals(request.method())) {
			return next.exchange(request);
		}
		URI uri = request.url();
		return this.reads
			.computeIfAbsent(uri,
					(key) -> Mono.defer(() -> read(uri, request, next))
						.cache((answer) -> this.interval, (ex) -> this.interval, () -> this.interval))
			.map(Answer::response);
	}

	/**
	 * Why the last read from the identity provider failed while earlier keys are used, or
	 * {@code null} when it did not.
	 */
	String failing() {
		return this.failing.get();
	}

	private Mono<Answer> read(URI uri, ClientRequest request, ExchangeFunction next) {
		return next.exchange(request)
			.flatMap((response) -> response.toEntity(String.class))
			.map((entity) -> new Answer(entity.getStatusCode(), entity.getHeaders(), entity.getBody()))
			.flatMap((answer) -> {
				if (answer.status().is2xxSuccessful()) {
					this.lastGood.put(uri, answer);
					recovered(uri);
					return Mono.just(answer);
				}
				return lastGoodOr(uri, "HTTP " + answer.status().value(), Mono.just(answer));
			})
			.onErrorResume((ex) -> lastGoodOr(uri, ex.toString(), Mono.error(ex)));
	}

	private Mono<Answer> lastGoodOr(URI uri, String failure, Mono<Answer> otherwise) {
		Answer good = this.lastGood.get(uri);
		if (good == null) {
			return otherwise;
		}
		if (this.failing.getAndSet(failure) == null) {
			logger.warn("{} could not be read ({}): the answer it gave before is used until it can be", uri, failure);
		}
		return Mono.just(good);
	}

	private void recovered(URI uri) {
		if (this.failing.getAndSet(null) != null) {
			logger.info("{} can be read again", uri);
		}
	}

	private record Answer(HttpStatusCode status, HttpHeaders headers, String body) {

		ClientResponse response() {
			ClientResponse.Builder builder = ClientResponse.create(this.status)
				.headers((headers) -> headers.addAll(this.headers));
			return (this.body != null) ? builder.body(this.body).build() : builder.build();
		}

	}

}
