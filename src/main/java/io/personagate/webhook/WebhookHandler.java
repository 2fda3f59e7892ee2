package io.personagate.webhook;

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.persona.LogSafe;
import io.personagate.persona.PersonaEvent;
import io.personagate.persona.PersonaEvents;
import io.r2dbc.spi.R2dbcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.dao.DataAccessException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Receives Persona's signed webhooks and applies inquiry events to the cache: verifies
 * the signature over the raw body, applies each event at most once, never lets an older
 * event overwrite newer knowledge, and acknowledges what it does not need. No call to
 * Persona happens here, so the answer comes well within Persona's five seconds.
 */
@Component
public class WebhookHandler {

	static final String SIGNATURE_HEADER = "Persona-Signature";

	private static final Logger logger = LoggerFactory.getLogger(WebhookHandler.class);

	private final WebhookProperties properties;

	private final WebhookSignature signature;

	private static final String DATABASE_RETRY_AFTER_SECONDS = "30";

	private final InquiryEvents events;

	private final MeterRegistry meters;

	private final Clock clock;

	public WebhookHandler(WebhookProperties properties, InquiryEvents events, MeterRegistry meters, Clock clock) {
		this.properties = properties;
		this.signature = new WebhookSignature(properties.secrets(), properties.tolerance());
		this.events = events;
		this.meters = meters;
		this.clock = clock;
	}

	public Mono<ServerResponse> handle(ServerRequest request) {
		if (!this.properties.enabled()) {
			logger.error("A webhook arrived but persona.webhook.secrets is not set; it cannot be verified");
			return reject("not_configured", HttpStatus.SERVICE_UNAVAILABLE, "Webhooks are not configured");
		}
		long maxBytes = this.properties.maxBodySize().toBytes();
		if (request.headers().contentLength().orElse(0) > maxBytes) {
			return reject("too_large", HttpStatus.CONTENT_TOO_LARGE, "Body larger than " + maxBytes + " bytes");
		}
		WebhookSignature.Result precheck = this.signature.precheck(request.headers().firstHeader(SIGNATURE_HEADER),
				this.clock.instant());
		if (precheck != WebhookSignature.Result.VALID) {
			return refused(precheck);
		}
		return DataBufferUtils.join(request.body((message, context) -> message.getBody()), (int) maxBytes)
			.map(WebhookHandler::bytes)
			.defaultIfEmpty(new byte[0])
			.flatMap((body) -> verified(request, body))
			.onErrorResume(DataBufferLimitException.class, (ex) -> reject("too_large", HttpStatus.CONTENT_TOO_LARGE,
					"Body larger than " + maxBytes + " bytes"));
	}

	private Mono<ServerResponse> verified(ServerRequest request, byte[] body) {
		WebhookSignature.Result result = this.signature.verify(request.headers().firstHeader(SIGNATURE_HEADER), body,
				this.clock.instant());
		if (result != WebhookSignature.Result.VALID) {
			return refused(result);
		}
		PersonaEvent event;
		try {
			event = PersonaEvents.parse(body);
		}
		catch (IllegalArgumentException ex) {
			return reject("malformed_body", HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		return apply(event);
	}

	private Mono<ServerResponse> refused(WebhookSignature.Result result) {
		return switch (result) {
			case MISSING -> reject("missing_signature", HttpStatus.BAD_REQUEST, "Persona-Signature header missing");
			case MALFORMED ->
				reject("malformed_signature", HttpStatus.BAD_REQUEST, "Persona-Signature header malformed");
			case STALE -> reject("stale", HttpStatus.UNAUTHORIZED,
					"Signature timestamp outside the allowed " + this.properties.tolerance().toSeconds() + " s");
			case MISMATCH -> reject("bad_signature", HttpStatus.UNAUTHORIZED, "Signature does not match");
			case VALID -> throw new IllegalArgumentException("not a refusal");
		};
	}

	private Mono<ServerResponse> apply(PersonaEvent event) {
		return this.events.apply(event, "webhook").flatMap((result) -> switch (result.outcome()) {
			case APPLIED -> accept("accepted", event, result.note());
			case DUPLICATE -> accept("duplicate", event, result.note());
			// acknowledged, so that Persona does not send it again and again
			case REFUSED -> accept("refused", event, result.note());
			case IGNORED -> accept("ignored", event, result.note());
			// acknowledged, so that Persona does not send it again and again
			case CONTRADICTED -> accept("contradicted", event, result.note());
			// acknowledged too: delivered again, it could still never apply
			case INVALID -> accept("invalid", event, result.note());
			case MALFORMED -> reject("malformed_body", HttpStatus.BAD_REQUEST, "Inquiry event without an inquiry");
		})
			.onErrorResume((ex) -> ex instanceof DataAccessException || ex instanceof TransactionException
					|| ex instanceof R2dbcException, (ex) -> {
						count("database_unavailable");
						logger.warn("Webhook {} not applied, the database is unavailable: {}", LogSafe.of(event.id()),
								LogSafe.of(ex.toString()));
						// not acknowledged, so that Persona delivers it again
						return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
							.header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
							.contentType(MediaType.APPLICATION_JSON)
							.bodyValue(Map.of("error",
									"The database is unavailable; the event was not applied. Deliver it again."));
					});
	}

	private Mono<ServerResponse> accept(String outcome, PersonaEvent event, String note) {
		count(outcome);
		logger.info("Webhook {} {} for inquiry {}: {}", LogSafe.of(event.id()), LogSafe.of(event.name()),
				(event.inquiry() != null) ? LogSafe.of(event.inquiry().id()) : null, note);
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("outcome", outcome));
	}

	private Mono<ServerResponse> reject(String outcome, HttpStatus status, String message) {
		count(outcome);
		logger.warn("Webhook rejected ({}): {}", outcome, LogSafe.of(message));
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("error", message));
	}

	private void count(String outcome) {
		this.meters.counter("gate.webhooks", "outcome", outcome).increment();
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
