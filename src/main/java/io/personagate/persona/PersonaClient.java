package io.personagate.persona;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Persona's inquiry API: list a user's inquiries on a template, create one, resume one.
 * Every call goes through {@link PersonaResilience} (rate limiter, circuit breaker,
 * retry) within a deadline, and is logged and measured once per attempt with Persona's
 * {@code Request-Id}.
 */
@Component
public class PersonaClient {

	private static final Logger logger = LoggerFactory.getLogger(PersonaClient.class);

	private static final String REQUEST_ID = "Request-Id";

	private final WebClient webClient;

	private final PersonaProperties properties;

	private final PersonaResilience resilience;

	private final PersonaCredentials credentials;

	private final MeterRegistry meters;

	private final Counter rateLimiterWaits;

	public PersonaClient(WebClient.Builder builder, PersonaProperties properties, PersonaResilience resilience,
			PersonaCredentials credentials, MeterRegistry meters) {
		this.properties = properties;
		this.resilience = resilience;
		this.credentials = credentials;
		this.meters = meters;
		this.rateLimiterWaits = Counter.builder("persona.ratelimiter.waits")
			.description("Persona calls that waited for a permit of the Persona request budget")
			.register(meters);
		HttpClient httpClient = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.responseTimeout());
		this.webClient = builder.clone()
			.baseUrl(properties.baseUrl().toString())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey())
			.defaultHeader("Persona-Version", properties.version())
			.defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
			.build();
	}

	/**
	 * All inquiries of a user on a template, newest first, following Persona's cursor to
	 * the last page.
	 */
	public Mono<List<PersonaInquiry>> listInquiries(String referenceId, TemplateId template) {
		return withinDeadline(listPage(referenceId, template, null, new ArrayList<>(), 1), "list inquiries");
	}

	private Mono<List<PersonaInquiry>> listPage(String referenceId, TemplateId template, String after,
			List<PersonaInquiry> collected, int page) {
		if (page > this.properties.maxPages()) {
			return Mono.error(new PersonaException.Unavailable(
					"list inquiries: more than " + this.properties.maxPages() + " pages of "
							+ this.properties.pageSize() + "; raise persona.max-pages",
					PersonaException.Unavailable.Kind.BAD_RESPONSE, 0, null, null));
		}
		return call("list",
				() -> this.webClient.get()
					.uri((uri) -> listUri(uri, referenceId, template, after))
					.exchangeToMono((response) -> read(response, "list inquiries", JsonApi.InquiryList.class)))
			.flatMap((body) -> {
				if (body.data() != null) {
					body.data().forEach((resource) -> collected.add(resource.toInquiry()));
				}
				String next = nextCursor(body.links());
				if (next == null || next.equals(after)) {
					return Mono.just(List.copyOf(collected));
				}
				return listPage(referenceId, template, next, collected, page + 1);
			});
	}

	private URI listUri(UriBuilder uri, String referenceId, TemplateId template, String after) {
		uri.path("/inquiries")
			.queryParam("filter[reference-id]", "{ref}")
			.queryParam("filter[" + template.attributeName() + "]", "{template}")
			.queryParam("page[size]", this.properties.pageSize());
		if (after != null) {
			uri.queryParam("page[after]", "{after}");
			return uri.build(Map.of("ref", referenceId, "template", template.value(), "after", after));
		}
		return uri.build(Map.of("ref", referenceId, "template", template.value()));
	}

	/**
	 * One page of Persona's events ({@code GET /events}), newest first, of the given
	 * names; the page older than cursor {@code after} when it is given.
	 */
	public Mono<EventPage> listEvents(Collection<String> names, String after, int size) {
		return withinDeadline(call("events",
				() -> this.webClient.get()
					.uri((uri) -> eventsUri(uri, names, after, size))
					.exchangeToMono((response) -> read(response, "list events", JsonApi.EventList.class)))
			.map((body) -> new EventPage((body.data() != null)
					? body.data().stream().map(JsonApi.EventResource::toEvent).filter(Objects::nonNull).toList()
					: List.of(), nextCursor(body.links()))),
				"list events");
	}

	private static URI eventsUri(UriBuilder uri, Collection<String> names, String after, int size) {
		uri.path("/events").queryParam("filter[name]", "{names}").queryParam("page[size]", size);
		if (after != null) {
			uri.queryParam("page[after]", "{after}");
			return uri.build(Map.of("names", String.join(",", names), "after", after));
		}
		return uri.build(Map.of("names", String.join(",", names)));
	}

	/**
	 * Creates an inquiry for the user on the template and asks for a session token with
	 * it. The Reference ID goes in {@code meta.auto-create-account-reference-id},
	 * Persona's current way (the {@code reference-id} attribute is deprecated): the
	 * inquiry joins the user's account and carries the account's reference id, so
	 * {@code filter[reference-id]} finds it. A retry sends the same
	 * {@code Idempotency-Key}, so Persona answers it with the inquiry it already created.
	 */
	public Mono<CreatedInquiry> createInquiry(String referenceId, TemplateId template, String idempotencyKey) {
		Map<String, Object> body = Map.of("data",
				Map.of("attributes", Map.of(template.attributeName(), template.value())), "meta",
				Map.of("auto-create-account-reference-id", referenceId, "auto-create-inquiry-session", true));
		return withinDeadline(post("create", "/inquiries", body, idempotencyKey), "create inquiry");
	}

	/**
	 * Resumes an inquiry (created, pending or expired) and returns it with a fresh
	 * session token.
	 */
	public Mono<CreatedInquiry> resumeInquiry(String inquiryId, String idempotencyKey) {
		return withinDeadline(
				post("resume", "/inquiries/{id}/resume", Map.of("meta", Map.of()), idempotencyKey, inquiryId),
				"resume inquiry");
	}

	private Mono<CreatedInquiry> post(String operation, String path, Object body, String idempotencyKey,
			Object... uriVariables) {
		String description = operation + " inquiry";
		return call(operation,
				() -> this.webClient.post()
					.uri(path, uriVariables)
					.contentType(MediaType.APPLICATION_JSON)
					.header("Idempotency-Key", idempotencyKey)
					.bodyValue(body)
					.exchangeToMono((response) -> read(response, description, JsonApi.InquiryDocument.class)))
			.map((document) -> {
				if (document.data() == null || document.data().id() == null) {
					throw new PersonaException.Unavailable(description + ": Persona's answer had no inquiry", 0, null,
							null);
				}
				return new CreatedInquiry(document.data().toInquiry(),
						(document.meta() != null) ? document.meta().sessionToken() : null);
			});
	}

	/**
	 * One logical call: each attempt waits for a permit ({@link PersonaPermits}) and
	 * passes the circuit breaker; transient failures are retried.
	 */
	private <T> Mono<T> call(String operation, Supplier<Mono<T>> exchange) {
		Mono<T> attempt = Mono.defer(() -> {
			long start = System.nanoTime();
			return exchange.get()
				.onErrorMap(PersonaClient::isTransportFailure, (ex) -> transportFailure(operation, ex))
				.doOnEach((signal) -> {
					if (signal.isOnNext() || signal.isOnError()) {
						record(operation, signal.getThrowable(), System.nanoTime() - start);
					}
				});
		});
		return permitted(attempt).transformDeferred(CircuitBreakerOperator.of(this.resilience.circuitBreaker()))
			.onErrorMap(CallNotPermittedException.class,
					(ex) -> new PersonaException.Unavailable(
							operation + ": Persona failed repeatedly; calls are paused (circuit open)",
							PersonaException.Unavailable.Kind.CIRCUIT_OPEN, 0, null, ex))
			.transformDeferred(RetryOperator.of(this.resilience.retry()));
	}

	private <T> Mono<T> permitted(Mono<T> attempt) {
		return Mono
			.deferContextual((context) -> this.resilience.permits().acquire(PersonaCaller.from(context).orElse(null)))
			.flatMap((wait) -> {
				if (wait.isZero() || wait.isNegative()) {
					return attempt;
				}
				this.rateLimiterWaits.increment();
				return Mono.delay(wait).then(attempt);
			});
	}

	private <T> Mono<T> withinDeadline(Mono<T> operation, String description) {
		Duration deadline = this.properties.deadline();
		return operation.timeout(deadline,
				Mono.error(() -> new PersonaException.Unavailable(
						description + ": no answer from Persona within " + deadline.toMillis() + " ms",
						PersonaException.Unavailable.Kind.DEADLINE, 0, null, null)));
	}

	private <T> Mono<T> read(ClientResponse response, String operation, Class<T> type) {
		String requestId = LogSafe.of(response.headers().asHttpHeaders().getFirst(REQUEST_ID));
		int status = response.statusCode().value();
		if (response.statusCode().is2xxSuccessful()) {
			this.credentials.accepted();
			return response.bodyToMono(type)
				.switchIfEmpty(Mono.error(() -> new PersonaException.Unavailable(
						operation + ": Persona answered " + status + " with no body", status, requestId, null)))
				.onErrorMap((ex) -> !(ex instanceof PersonaException), (ex) -> new PersonaException.Unavailable(
						operation + ": Persona's answer could not be read (" + ex.getClass().getSimpleName() + ")",
						isConnectionLoss(ex) ? PersonaException.Unavailable.Kind.CONNECTION
								: PersonaException.Unavailable.Kind.BAD_RESPONSE,
						status, requestId, ex))
				.doOnNext((body) -> logger.info("Persona {}: HTTP {} (Request-Id {})", operation, status, requestId));
		}
		return response.bodyToMono(JsonApi.Errors.class)
			.onErrorResume((ex) -> Mono.empty())
			.map(PersonaClient::describe)
			.defaultIfEmpty("no error details")
			.flatMap((details) -> {
				PersonaException ex = toException(response, operation, status, requestId, details);
				if (ex instanceof PersonaException.Unauthorized) {
					this.credentials.refused(status, requestId);
				}
				logger.info("Persona {}: HTTP {} (Request-Id {}): {}", operation, status, requestId, details);
				return Mono.error(ex);
			});
	}

	private void record(String operation, Throwable error, long nanos) {
		Timer.builder("persona.calls")
			.description("Calls to Persona's API, one per attempt")
			.tag("operation", operation)
			.tag("outcome", outcome(error))
			.publishPercentileHistogram()
			.register(this.meters)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	private static String outcome(Throwable error) {
		if (error == null) {
			return "success";
		}
		if (error instanceof PersonaException.Unavailable unavailable) {
			return switch (unavailable.kind()) {
				case TIMEOUT -> "timeout";
				case CONNECTION -> "connection_error";
				case SERVER_ERROR -> "server_error";
				default -> "bad_response";
			};
		}
		if (error instanceof PersonaException.RateLimited) {
			return "rate_limited";
		}
		if (error instanceof PersonaException.Unauthorized) {
			return "unauthorized";
		}
		if (error instanceof PersonaException) {
			return "rejected";
		}
		return "error";
	}

	private static PersonaException toException(ClientResponse response, String operation, int status, String requestId,
			String details) {
		String message = operation + ": Persona answered " + status + " (" + details + ")";
		return switch (status) {
			case 401, 403 -> new PersonaException.Unauthorized(message, status, requestId);
			case 404 -> new PersonaException.NotFound(message, requestId);
			case 409 -> new PersonaException.Conflict(message, requestId);
			case 400, 422 -> new PersonaException.Rejected(message, status, requestId);
			case 429 -> new PersonaException.RateLimited(message, requestId, resetSeconds(response));
			default -> (status >= 500) ? new PersonaException.Unavailable(message, status, requestId, null)
					: new PersonaException.Rejected(message, status, requestId);
		};
	}

	private static long resetSeconds(ClientResponse response) {
		String reset = response.headers().asHttpHeaders().getFirst("RateLimit-Reset");
		try {
			return (reset != null) ? Long.parseLong(reset.trim()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String describe(JsonApi.Errors errors) {
		if (errors.errors() == null || errors.errors().isEmpty()) {
			return "no error details";
		}
		JsonApi.Error first = errors.errors().get(0);
		return LogSafe
			.of((first.details() != null) ? first.title() + ": " + first.details() : String.valueOf(first.title()));
	}

	private static String nextCursor(JsonApi.Links links) {
		if (links == null || links.next() == null || links.next().isBlank()) {
			return null;
		}
		MultiValueMap<String, String> query = UriComponentsBuilder.fromUriString(links.next())
			.build(true)
			.getQueryParams();
		String after = query.getFirst("page%5Bafter%5D");
		if (after == null) {
			after = query.getFirst("page[after]");
		}
		return (after != null) ? UriUtils.decode(after, StandardCharsets.UTF_8) : null;
	}

	/**
	 * The connection broke while the answer was being read: the request may or may not
	 * have taken effect.
	 */
	private static boolean isConnectionLoss(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	private static boolean isTransportFailure(Throwable ex) {
		return ex instanceof WebClientRequestException || ex instanceof TimeoutException
				|| ex instanceof ReadTimeoutException || ex.getCause() instanceof TimeoutException
				|| ex.getCause() instanceof ReadTimeoutException;
	}

	private static PersonaException transportFailure(String operation, Throwable ex) {
		boolean timeout = ex instanceof TimeoutException || ex instanceof ReadTimeoutException
				|| ex.getCause() instanceof TimeoutException || ex.getCause() instanceof ReadTimeoutException;
		return new PersonaException.Unavailable(
				operation + ": Persona could not be reached (" + (timeout ? "timed out" : ex.getClass().getSimpleName())
						+ ")",
				timeout ? PersonaException.Unavailable.Kind.TIMEOUT : PersonaException.Unavailable.Kind.CONNECTION, 0,
				null, ex);
	}

}
