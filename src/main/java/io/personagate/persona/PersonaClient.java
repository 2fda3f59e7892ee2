package io.personagate.persona;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Persona's inquiry API: list a user's inquiries on a template, create one, resume one.
 * Every call goes through {@link PersonaResilience} (rate limiter, circuit breaker,
 * retry) within a deadline, and is measured once per attempt, and logged at debug level
 * with Persona's {@code Request-Id}.
 */
@Component
public class PersonaClient {

	private static final Logger logger = LoggerFactory.getLogger(PersonaClient.class);

	private static final String REQUEST_ID = "Request-Id";

	/**
	 * The attributes the gate reads, as a sparse fieldset
	 * ({@code components.parameters.fields-query-parameter}): a listing then carries no
	 * personal data ({@code fields}, names, birthdates) and is a fraction of the size.
	 * The template comes in {@code relationships}, which sparse fieldsets leave alone.
	 */
	static final String INQUIRY_FIELDS = "status,reference-id,created-at,updated-at,expired-at,redacted-at,"
			+ "decisioned-at,completed-at,failed-at";

	private final WebClient webClient;

	private final PersonaProperties properties;

	private final PersonaResilience resilience;

	private final PersonaCredentials credentials;

	private final MeterRegistry meters;

	private final Counter rateLimiterWaits;

	private final UnknownStatuses unknownStatuses = new UnknownStatuses();

	/**
	 * Most creates sent with one key, one after the other, while the outcome is unknown.
	 */
	private static final int MAX_UNKNOWN_ROUNDS = 4;

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
	 * All inquiries of a user on a template, following Persona's cursor to the last page,
	 * each once and each the user's: see {@link InquiryListing} for what makes a listing
	 * unreadable (an upstream fault, never an empty listing).
	 */
	public Mono<List<PersonaInquiry>> listInquiries(String referenceId, TemplateId template) {
		return withinDeadline(Mono.defer(() -> {
			InquiryListing listing = new InquiryListing(referenceId, template, this.properties.pageSize(),
					this.properties.maxPages());
			return listPage(referenceId, template, null, listing).then(Mono.fromSupplier(() -> {
				if (!listing.foreign().isEmpty()) {
					logger.warn(
							"Persona listed {} inquiries of another user or template for reference id {}; left out: {}",
							listing.foreign().size(), LogSafe.of(referenceId),
							LogSafe.of(listing.foreign().toString()));
				}
				List<PersonaInquiry> inquiries = listing.inquiries();
				inquiries.forEach(this.unknownStatuses::seen);
				return inquiries;
			}));
		}), "list inquiries");
	}

	private Mono<Void> listPage(String referenceId, TemplateId template, String after, InquiryListing listing) {
		return call("list", () -> this.webClient.get()
			.uri((uri) -> listUri(uri, referenceId, template, after))
			.exchangeToMono((response) -> read(response, "list inquiries", JsonApi.InquiryList.class)
				.map((body) -> new Page(body, LogSafe.of(response.headers().asHttpHeaders().getFirst(REQUEST_ID))))))
			.onErrorMap(PersonaException.CallerRateLimited.class, (ex) -> (listing
				.pages() == 0) ? ex : new PersonaException.Unavailable(
						"list inquiries: Persona's listing ran past the allowance of calls of whoever asked (the user or the operator) after "
								+ listing.pages() + " pages",
						PersonaException.Unavailable.Kind.BAD_RESPONSE, 0, null, ex))
			.flatMap((page) -> {
				String next = listing.add(page.body(), page.requestId());
				return (next != null) ? listPage(referenceId, template, next, listing) : Mono.empty();
			});
	}

	private record Page(JsonApi.InquiryList body, String requestId) {
	}

	private URI listUri(UriBuilder uri, String referenceId, TemplateId template, String after) {
		uri.path("/inquiries")
			.queryParam("filter[reference-id]", "{ref}")
			.queryParam("filter[" + template.attributeName() + "]", "{template}")
			.queryParam("page[size]", this.properties.pageSize())
			.queryParam("fields[inquiry]", "{fields}");
		if (after != null) {
			uri.queryParam("page[after]", "{after}");
			return uri.build(
					Map.of("ref", referenceId, "template", template.value(), "fields", INQUIRY_FIELDS, "after", after));
		}
		return uri.build(Map.of("ref", referenceId, "template", template.value(), "fields", INQUIRY_FIELDS));
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
	 * {@code filter[reference-id]} finds it. Each attempt sends {@code key}'s
	 * {@code Idempotency-Key}: the same one after an attempt that got no answer, so
	 * Persona answers it with the inquiry it may already have created; a fresh one after
	 * a failure Persona stored.
	 */
	public Mono<CreatedInquiry> createInquiry(String referenceId, TemplateId template, IdempotencyKey key) {
		// ordered members, so that every instance repeating a create sends the same
		// parameters with its key
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("auto-create-account-reference-id", referenceId);
		meta.put("auto-create-inquiry-session", true);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("data", Map.of("attributes", Map.of(template.attributeName(), template.value())));
		body.put("meta", meta);
		return withinDeadline(post("create", "/inquiries", body, key), "create inquiry");
	}

	/**
	 * {@link #createInquiry(String, TemplateId, IdempotencyKey)} until its outcome is
	 * known: after an attempt whose answer leaves it unknown whether Persona created the
	 * inquiry (no answer, a gateway's answer, a 409 on the key still in use), the create
	 * is sent again with the same key, after a back-off, for as long as {@code within}
	 * allows; never with another key. When time runs out the key is still kept, and the
	 * error says the outcome is unknown.
	 */
	public Mono<CreatedInquiry> createInquiry(String referenceId, TemplateId template, IdempotencyKey key,
			Duration within) {
		long until = System.nanoTime() + within.toNanos();
		return createUntilKnown(referenceId, template, key, until, 0);
	}

	private Mono<CreatedInquiry> createUntilKnown(String referenceId, TemplateId template, IdempotencyKey key,
			long until, int round) {
		return createInquiry(referenceId, template, key).onErrorResume(PersonaException.class, (ex) -> {
			if (!isUnknownOutcome(ex) || key.kept() == null) {
				return Mono.error(ex);
			}
			if (round >= MAX_UNKNOWN_ROUNDS) {
				return Mono.error(new PersonaException.Unavailable(
						"create inquiry: whether Persona created the inquiry is still not known after " + (round + 1)
								+ " tries (" + ex.getMessage() + "); its key is kept for the next attempt",
						PersonaException.Unavailable.Kind.DEADLINE, ex.status(), ex.requestId(), ex));
			}
			Duration wait = Duration.ofMillis(Math.min(2000, 250L << Math.min(round, 3)));
			if (System.nanoTime() + wait.plus(this.properties.deadline()).toNanos() > until) {
				return Mono.error(new PersonaException.Unavailable(
						"create inquiry: whether Persona created the inquiry is not known yet (" + ex.getMessage()
								+ "); its key is kept for the next attempt",
						PersonaException.Unavailable.Kind.DEADLINE, ex.status(), ex.requestId(), ex));
			}
			logger.debug("Persona create: outcome unknown ({}); sending the same key again in {} ms", ex.getMessage(),
					wait.toMillis());
			return Mono.delay(wait)
				.then(Mono.defer(() -> createUntilKnown(referenceId, template, key, until, round + 1)));
		});
	}

	/**
	 * A 409 that says the key is still in use by an earlier attempt, rather than one
	 * Persona stored for the key (a duplicate resource).
	 */
	private static boolean isKeyInUse(PersonaException ex) {
		return ex instanceof PersonaException.Conflict
				&& ex.getMessage().toLowerCase(Locale.ROOT).contains("idempotency");
	}

	/** The create may or may not have taken effect at Persona. */
	private static boolean isUnknownOutcome(PersonaException ex) {
		if (ex instanceof PersonaException.Conflict) {
			return true;
		}
		return ex instanceof PersonaException.Unavailable unavailable
				&& unavailable.kind() != PersonaException.Unavailable.Kind.CIRCUIT_OPEN
				&& unavailable.kind() != PersonaException.Unavailable.Kind.RATE_LIMITED_LOCALLY;
	}

	/**
	 * Resumes an inquiry (created, pending or expired) and returns it with a session
	 * token that opens it now. Every call is a new operation with a fresh
	 * {@code Idempotency-Key}, never a replay of an earlier call's (by now perhaps spent)
	 * token; only an attempt whose answer was lost is repeated with its key. Nothing is
	 * journaled: a repeated resume creates nothing, at most one more session. The spec
	 * defines no request body, so none is sent.
	 */
	public Mono<CreatedInquiry> resumeInquiry(String inquiryId) {
		return withinDeadline(post("resume", "/inquiries/{id}/resume", null,
				IdempotencyKey.fresh(IdempotencyKey.Journal.NONE), inquiryId), "resume inquiry");
	}

	private Mono<CreatedInquiry> post(String operation, String path, Object body, IdempotencyKey key,
			Object... uriVariables) {
		String description = operation + " inquiry";
		return call(operation, () -> key.forAttempt().flatMap((idempotencyKey) -> {
			WebClient.RequestBodySpec request = this.webClient.post()
				.uri(path, uriVariables)
				.header("Idempotency-Key", idempotencyKey);
			WebClient.RequestHeadersSpec<?> withBody = (body != null)
					? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
			return withBody.exchangeToMono((response) -> read(response, description, JsonApi.InquiryDocument.class))
				.onErrorResume(PersonaException.class,
						(ex) -> key.answered(idempotencyKey, ex.status(), ex.isAnsweredByPersona() && !isKeyInUse(ex))
							.flatMap((spent) -> Mono.error(spent ? ex.keySpent() : ex)));
		}), operation.equals("create")).map((document) -> {
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
		return call(operation, exchange, false);
	}

	/**
	 * {@code creates}: the call creates something, so an attempt is repeated only while
	 * its key is kept ({@link IdempotencyKey}); after a failure Persona stored, the
	 * caller lists what exists before it creates with a new key.
	 */
	private <T> Mono<T> call(String operation, Supplier<Mono<T>> exchange, boolean creates) {
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
			.transformDeferred(RetryOperator.of(creates ? this.resilience.createRetry() : this.resilience.retry()));
	}

	/**
	 * Sends the attempt once it has a permit. A call made for no one (reconciliation, in
	 * the background) never waits for one: while the budget is short it gives its place
	 * to the requests of users and operators, whose confirmations of webhooks it would
	 * otherwise delay.
	 */
	private <T> Mono<T> permitted(Mono<T> attempt) {
		return Mono.deferContextual((context) -> {
			PersonaCaller caller = PersonaCaller.from(context).orElse(null);
			return this.resilience.permits().acquire(caller).map((wait) -> new Permit(wait, caller == null));
		}).flatMap((permit) -> {
			Duration wait = permit.delay();
			if (wait.isZero() || wait.isNegative()) {
				return attempt;
			}
			if (permit.background()) {
				return Mono.error(new PersonaException.Unavailable(
						"Persona request budget short; background work gives way to requests",
						PersonaException.Unavailable.Kind.RATE_LIMITED_LOCALLY, 0, null, null));
			}
			this.rateLimiterWaits.increment();
			return Mono.delay(wait).then(attempt);
		});
	}

	private record Permit(Duration delay, boolean background) {
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
				.doOnNext((body) -> logger.debug("Persona {}: HTTP {} (Request-Id {})", operation, status, requestId));
		}
		return response.bodyToMono(JsonApi.Errors.class)
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty(new JsonApi.Errors(List.of()))
			.flatMap((errors) -> {
				String details = describe(errors);
				PersonaException ex = toException(response, operation, status, requestId, errors);
				if (requestId != null && errors.errors() != null && !errors.errors().isEmpty()) {
					ex.answeredByPersona();
				}
				if (ex instanceof PersonaException.Unauthorized) {
					this.credentials.refused(status, requestId);
				}
				// one line per fault, by whoever sees its outcome (served stale, or the
				// request's error): an attempt that a retry recovers is no fault
				logger.debug("Persona {}: HTTP {} (Request-Id {}): {}", operation, status, requestId, details);
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
				case QUOTA_EXCEEDED, ADDRESS_REFUSED -> "refused";
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

	/**
	 * The exception for each status the spec lists for the inquiry operations (400, 401,
	 * 403, 404, 409, 422, 429; {@code components.responses}), plus 408 and 5xx.
	 */
	private static PersonaException toException(ClientResponse response, String operation, int status, String requestId,
			JsonApi.Errors errors) {
		String message = operation + ": Persona answered " + status + " (" + describe(errors) + ")";
		return switch (status) {
			case 401 -> new PersonaException.Unauthorized(message, status, requestId);
			case 403 -> forbidden(message, requestId, errors);
			case 404 -> new PersonaException.NotFound(message, requestId);
			case 409 -> new PersonaException.Conflict(message, requestId);
			case 400, 422 -> new PersonaException.Rejected(message, status, requestId);
			case 429 -> new PersonaException.RateLimited(message, requestId, resetSeconds(response));
			// components.responses.request-timeout: "Something went wrong on Persona's
			// end"
			case 408 -> new PersonaException.Unavailable(message, PersonaException.Unavailable.Kind.SERVER_ERROR,
					status, requestId, null);
			default -> (status >= 500) ? new PersonaException.Unavailable(message, status, requestId, null)
					: new PersonaException.Rejected(message, status, requestId);
		};
	}

	/**
	 * 403 is "the given API key doesn't have permissions to perform the request or a
	 * quota has been exceeded" ({@code components.responses.forbidden}); its details also
	 * name a blocked address ("IP address is not permitted access to current
	 * environment"). An exceeded quota or a refused address leaves the key good and
	 * Persona unavailable to this service for now; anything else is the key's, a fault of
	 * configuration.
	 */
	private static PersonaException forbidden(String message, String requestId, JsonApi.Errors errors) {
		StringBuilder text = new StringBuilder();
		if (errors.errors() != null) {
			for (JsonApi.Error error : errors.errors()) {
				text.append(' ').append(error.title()).append(' ').append(error.details());
			}
		}
		String said = text.toString().toLowerCase(Locale.ROOT);
		if (said.contains("quota") || said.contains("rate limit")) {
			return new PersonaException.Unavailable(message, PersonaException.Unavailable.Kind.QUOTA_EXCEEDED, 403,
					requestId, null);
		}
		if (said.contains("ip address") || said.contains("not permitted access") || said.contains("blocked")) {
			return new PersonaException.Unavailable(message, PersonaException.Unavailable.Kind.ADDRESS_REFUSED, 403,
					requestId, null);
		}
		return new PersonaException.Unauthorized(message, 403, requestId);
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

	/**
	 * The {@code page[after]} cursor of {@code links.next}, whether its brackets come
	 * percent-encoded ({@code page%5Bafter%5D=}) or literal ({@code page[after]=}).
	 */
	static String nextCursor(JsonApi.Links links) {
		if (links == null || links.next() == null || links.next().isBlank()) {
			return null;
		}
		String next = links.next();
		int query = next.indexOf('?');
		if (query < 0) {
			return null;
		}
		for (String pair : next.substring(query + 1).split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && "page[after]".equals(decode(pair.substring(0, equals)))) {
				String after = decode(pair.substring(equals + 1));
				return after.isEmpty() ? null : after;
			}
		}
		return null;
	}

	private static String decode(String component) {
		try {
			return UriUtils.decode(component, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return component;
		}
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
