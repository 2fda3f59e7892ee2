package io.personagate.dev;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.FakePersona.Action;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The development-only HTTP endpoints, under {@code /dev}: sign-in ({@code /dev/token}),
 * the Persona emulator's state and lifecycle moves ({@code /dev/persona}), and its
 * stand-in for Persona's verification flow ({@code /dev/persona/flow}).
 */
final class DevEndpoints {

	private static final int MAX_USER_ID_LENGTH = 255;

	private static final Resource FLOW_PAGE = new ClassPathResource("dev/persona-flow.html");

	private final DevTokens tokens;

	private final FakePersona persona;

	DevEndpoints(DevTokens tokens, FakePersona persona) {
		this.tokens = tokens;
		this.persona = persona;
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.POST("/dev/token", this::tokenFromBody)
			.GET("/dev/token", this::tokenFromQuery)
			.GET("/dev/persona", this::personaState)
			.GET("/dev/persona/flow", this::flow)
			.POST("/dev/persona/inquiries/{inquiryId}/{action}", this::simulate)
			.build();
	}

	private Mono<ServerResponse> tokenFromBody(ServerRequest request) {
		return request.bodyToMono(TokenRequest.class)
			.map(TokenRequest::userId)
			.defaultIfEmpty("")
			.onErrorReturn("")
			.flatMap(this::token);
	}

	private Mono<ServerResponse> tokenFromQuery(ServerRequest request) {
		return token(request.queryParam("userId").orElse(""));
	}

	private Mono<ServerResponse> token(String userId) {
		if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH) {
			return problem(HttpStatus.BAD_REQUEST, "Give a userId (1-" + MAX_USER_ID_LENGTH
					+ " characters): POST {\"userId\": \"alice\"} or GET ?userId=alice");
		}
		return json(HttpStatus.OK, this.tokens.issue(userId));
	}

	private Mono<ServerResponse> personaState(ServerRequest request) {
		List<InquiryState> inquiries = this.persona.inquiries()
			.stream()
			.sorted(Comparator.comparing((FakePersona.FakeInquiry inquiry) -> inquiry.createdAt).reversed())
			.map(InquiryState::of)
			.toList();
		return json(HttpStatus.OK, new PersonaState(this.persona.baseUrl(), this.persona.latencyMillis(),
				this.persona.calls(), inquiries, this.persona.webhookDeliveries()));
	}

	/**
	 * The stand-in for Persona's verification flow that the example app opens in
	 * development mode, where Persona's own widget cannot load: it moves the inquiry
	 * through the emulator and tells the app, as Persona's SDK would.
	 */
	private Mono<ServerResponse> flow(ServerRequest request) {
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.bodyValue(FLOW_PAGE);
	}

	private Mono<ServerResponse> simulate(ServerRequest request) {
		String inquiryId = request.pathVariable("inquiryId");
		Action action;
		try {
			action = Action.named(request.pathVariable("action"));
		}
		catch (IllegalArgumentException ex) {
			return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		// the emulator sends the webhook to this service and waits for its answer: not on
		// an event loop
		return Mono.fromCallable(() -> this.persona.simulate(inquiryId, action))
			.subscribeOn(Schedulers.boundedElastic())
			.flatMap((simulation) -> json(HttpStatus.OK,
					new Moved(inquiryId, simulation.status(), simulation.event(), simulation.webhook())))
			.onErrorResume(FakePersona.SimulationRefused.class,
					(ex) -> problem(HttpStatus.valueOf(ex.status()), ex.getMessage()));
	}

	private static Mono<ServerResponse> json(HttpStatus status, Object body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private static Mono<ServerResponse> problem(HttpStatus status, String message) {
		return json(status, Map.of("error", message));
	}

	record TokenRequest(String userId) {
	}

	record PersonaState(String baseUrl, long latencyMillis, Map<String, Long> calls, List<InquiryState> inquiries,
			List<FakePersona.WebhookDelivery> webhooks) {
	}

	record InquiryState(String id, String referenceId, String templateId, String status, Instant createdAt,
			Instant updatedAt) {

		static InquiryState of(FakePersona.FakeInquiry inquiry) {
			return new InquiryState(inquiry.id, inquiry.referenceId, inquiry.templateId, inquiry.status,
					inquiry.createdAt, inquiry.updatedAt);
		}

	}

	record Moved(String inquiryId, String status, String event, FakePersona.WebhookDelivery webhook) {
	}

}
