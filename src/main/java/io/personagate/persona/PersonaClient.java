package io.personagate.persona;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

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
 */
@Component
public class PersonaClient {

	private static final Logger logger = LoggerFactory.getLogger(PersonaClient.class);

	private static final String REQUEST_ID = "Request-Id";

	private final WebClient webClient;

	private final PersonaProperties properties;

	public PersonaClient(WebClient.Builder builder, PersonaProperties properties) {
		this.properties = properties;
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
	 * All inquiries of a user on a template, newest first, following Persona's cursor to the last page.
	 */
	public Mono<List<PersonaInquiry>> listInquiries(String referenceId, TemplateId template) {
		return listPage(referenceId, template, null, new ArrayList<>(), 1);
	}

	private Mono<List<PersonaInquiry>> listPage(String referenceId, TemplateId template, String after,
			List<PersonaInquiry> collected, int page) {
		if (page > this.properties.maxPages()) {
			return Mono.error(new PersonaException.Unavailable("Listing inquiries exceeded " + this.properties.maxPages()
					+ " pages of " + this.properties.pageSize() + "; raise persona.max-pages", 0, null, null));
		}
		return this.webClient.get()
			.uri((uri) -> listUri(uri, referenceId, template, after))
			.exchangeToMono((response) -> read(response, "list inquiries", JsonApi.InquiryList.class))
			.onErrorMap(PersonaClient::isTransportFailure, (ex) -> unavailable("list inquiries", ex))
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
	 * Creates an inquiry for the user on the template and asks for a session token with it. The
	 * Reference ID goes in {@code meta.auto-create-account-reference-id}, Persona's current way (the
	 * {@code reference-id} attribute is deprecated): the inquiry joins the user's account and carries
	 * the account's reference id, so {@code filter[reference-id]} finds it.
	 */
	public Mono<CreatedInquiry> createInquiry(String referenceId, TemplateId template, String idempotencyKey) {
		Map<String, Object> body = Map.of("data", Map.of("attributes", Map.of(template.attributeName(), template.value())),
				"meta", Map.of("auto-create-account-reference-id", referenceId, "auto-create-inquiry-session", true));
		return post("/inquiries", body, idempotencyKey, "create inquiry");
	}

	/**
	 * Resumes an inquiry (created, pending or expired) and returns it with a fresh session token.
	 */
	public Mono<CreatedInquiry> resumeInquiry(String inquiryId, String idempotencyKey) {
		return post("/inquiries/{id}/resume", Map.of("meta", Map.of()), idempotencyKey, "resume inquiry", inquiryId);
	}

	private Mono<CreatedInquiry> post(String path, Object body, String idempotencyKey, String operation,
			Object... uriVariables) {
		return this.webClient.post()
			.uri(path, uriVariables)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", idempotencyKey)
			.bodyValue(body)
			.exchangeToMono((response) -> read(response, operation, JsonApi.InquiryDocument.class))
			.onErrorMap(PersonaClient::isTransportFailure, (ex) -> unavailable(operation, ex))
			.map((document) -> {
				if (document.data() == null || document.data().id() == null) {
					throw new PersonaException.Unavailable(operation + ": Persona's answer had no inquiry", 0, null,
							null);
				}
				return new CreatedInquiry(document.data().toInquiry(),
						(document.meta() != null) ? document.meta().sessionToken() : null);
			});
	}

	private <T> Mono<T> read(ClientResponse response, String operation, Class<T> type) {
		String requestId = response.headers().asHttpHeaders().getFirst(REQUEST_ID);
		int status = response.statusCode().value();
		logger.debug("Persona {}: HTTP {} (Request-Id {})", operation, status, requestId);
		if (response.statusCode().is2xxSuccessful()) {
			return response.bodyToMono(type)
				.switchIfEmpty(Mono.error(() -> new PersonaException.Unavailable(
						operation + ": Persona answered " + status + " with no body", status, requestId, null)))
				.onErrorMap((ex) -> !(ex instanceof PersonaException),
						(ex) -> new PersonaException.Unavailable(
								operation + ": Persona's answer could not be read (" + ex.getClass().getSimpleName() + ")",
								status, requestId, ex));
		}
		return response.bodyToMono(JsonApi.Errors.class)
			.onErrorResume((ex) -> Mono.empty())
			.map(PersonaClient::describe)
			.defaultIfEmpty("no error details")
			.flatMap((details) -> Mono.error(toException(response, operation, status, requestId, details)));
	}

	private static PersonaException toException(ClientResponse response, String operation, int status,
			String requestId, String details) {
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
		return (first.details() != null) ? first.title() + ": " + first.details() : String.valueOf(first.title());
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
		return (after != null) ? UriUtils.decode(after, StandardCharsets.UTF_8)
				: null;
	}

	private static boolean isTransportFailure(Throwable ex) {
		return ex instanceof WebClientRequestException || ex instanceof TimeoutException
				|| ex instanceof ReadTimeoutException
				|| ex.getCause() instanceof TimeoutException;
	}

	private static PersonaException unavailable(String operation, Throwable ex) {
		return new PersonaException.Unavailable(operation + ": Persona could not be reached ("
				+ ex.getClass().getSimpleName() + ")", 0, null, ex);
	}

}
