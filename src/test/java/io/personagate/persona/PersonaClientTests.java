package io.personagate.persona;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.personagate.persona.IdempotencyKey.Journal;
import io.personagate.support.FakePersona;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PersonaClientTests {

	private static final String TEMPLATE = "itmpl_p8ANAJy9iqadm2buF2xcVgqH";

	private static final String LEGACY_TEMPLATE = "tmpl_JAZjHuAT738Q63BdgCuEJQre";

	private static final FakePersona persona = new FakePersona();

	private final PersonaClient client = client(persona.baseUrl());

	@BeforeEach
	void reset() {
		persona.reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void listSendsCredentialsVersionAndFilters() {
		FakePersona.FakeInquiry seeded = persona.seed("user-1", TEMPLATE, "pending",
				Instant.parse("2026-01-01T00:00:00Z"));
		persona.seed("user-2", TEMPLATE, "approved", Instant.parse("2026-01-01T00:00:00Z"));

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> {
				assertThat(inquiries).extracting(PersonaInquiry::id).containsExactly(seeded.id);
				PersonaInquiry inquiry = inquiries.get(0);
				assertThat(inquiry.status()).isEqualTo(InquiryStatus.PENDING);
				assertThat(inquiry.referenceId()).isEqualTo("user-1");
				assertThat(inquiry.templateId()).isEqualTo(TEMPLATE);
				assertThat(inquiry.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
			})
			.verifyComplete();

		RecordedRequest request = persona.requests().get(0);
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer test-api-key");
		assertThat(request.getHeaders().get("Persona-Version")).isEqualTo("2025-12-08");
		assertThat(request.getUrl().queryParameter("filter[reference-id]")).isEqualTo("user-1");
		assertThat(request.getUrl().queryParameter("filter[inquiry-template-id]")).isEqualTo(TEMPLATE);
		assertThat(request.getUrl().queryParameter("filter[template-id]")).isNull();
		assertThat(request.getUrl().queryParameter("page[size]")).isEqualTo("100");
		assertThat(request.getUrl().queryParameter("fields[inquiry]")).isEqualTo(
				"status,reference-id,created-at,updated-at,expired-at,redacted-at,decisioned-at,completed-at,failed-at");
	}

	@Test
	void listReadsWhenEachInquiryWasDecidedCompletedOrFailed() {
		Instant created = Instant.parse("2026-01-01T00:00:00Z");
		persona.seed("user-1", TEMPLATE, "approved", created).decidedAt(created.plusSeconds(600));
		persona.seed("user-1", TEMPLATE, "failed", created.plusSeconds(1)).decidedAt(created.plusSeconds(700));
		persona.seed("user-1", TEMPLATE, "pending", created.plusSeconds(2));

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> assertThat(inquiries)
				.extracting(PersonaInquiry::status, PersonaInquiry::decisionedAt, PersonaInquiry::failedAt,
						PersonaInquiry::completedAt)
				.containsExactlyInAnyOrder(tuple(InquiryStatus.APPROVED, created.plusSeconds(600), null, null),
						tuple(InquiryStatus.FAILED, null, created.plusSeconds(700), null),
						tuple(InquiryStatus.PENDING, null, null, null)))
			.verifyComplete();
	}

	@Test
	void legacyTemplatesUseTheirOwnFilterAndAttribute() {
		persona.seed("user-1", LEGACY_TEMPLATE, "completed", Instant.parse("2026-01-01T00:00:00Z"));

		this.client.listInquiries("user-1", new TemplateId(LEGACY_TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> assertThat(inquiries).singleElement()
				.satisfies((inquiry) -> assertThat(inquiry.templateId()).isEqualTo(LEGACY_TEMPLATE)))
			.verifyComplete();
		this.client.createInquiry("user-1", new TemplateId(LEGACY_TEMPLATE), IdempotencyKey.fresh(Journal.NONE))
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();

		List<RecordedRequest> requests = persona.requests();
		assertThat(requests.get(0).getUrl().queryParameter("filter[template-id]")).isEqualTo(LEGACY_TEMPLATE);
		assertThat(requests.get(0).getUrl().queryParameter("filter[inquiry-template-id]")).isNull();
		JsonNode created = JsonMapper.builder().build().readTree(requests.get(1).getBody().utf8());
		assertThat(created.path("data").path("attributes").path("template-id").asString()).isEqualTo(LEGACY_TEMPLATE);
		assertThat(created.path("data").path("attributes").has("inquiry-template-id")).isFalse();
	}

	@Test
	void listFollowsTheCursorThroughThreePages() {
		Instant start = Instant.parse("2025-01-01T00:00:00Z");
		for (int i = 0; i < 250; i++) {
			persona.seed("user-1", TEMPLATE, "expired", start.plus(Duration.ofMinutes(i)));
		}

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> {
				assertThat(inquiries).hasSize(250);
				assertThat(inquiries).extracting(PersonaInquiry::id).doesNotHaveDuplicates();
			})
			.verifyComplete();

		List<RecordedRequest> requests = persona.requests();
		assertThat(requests).hasSize(3);
		assertThat(requests.get(0).getUrl().queryParameter("page[after]")).isNull();
		assertThat(requests.get(1).getUrl().queryParameter("page[after]")).isNotNull();
		assertThat(requests.get(2).getUrl().queryParameter("page[after]"))
			.isNotEqualTo(requests.get(1).getUrl().queryParameter("page[after]"));
		assertThat(requests).allSatisfy((request) -> {
			assertThat(request.getUrl().queryParameter("filter[reference-id]")).isEqualTo("user-1");
			assertThat(request.getUrl().queryParameter("page[size]")).isEqualTo("100");
		});
	}

	@Test
	void createSendsTheReferenceIdAndAsksForASessionToken() {
		RecordingJournal journal = new RecordingJournal();

		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.fresh(journal))
			.as(StepVerifier::create)
			.assertNext((created) -> {
				assertThat(created.inquiry().status()).isEqualTo(InquiryStatus.CREATED);
				assertThat(created.inquiry().referenceId()).isEqualTo("user-1");
				assertThat(created.sessionToken()).isEqualTo("session-for-" + created.inquiry().id());
			})
			.verifyComplete();

		RecordedRequest request = persona.requests().get(0);
		String key = request.getHeaders().get("Idempotency-Key");
		assertThat(UUID.fromString(key)).hasToString(key);
		assertThat(journal.events).containsExactly("sending " + key);
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
		JsonNode body = JsonMapper.builder().build().readTree(request.getBody().utf8());
		assertThat(body.path("meta").path("auto-create-account-reference-id").asString()).isEqualTo("user-1");
		assertThat(body.path("meta").path("auto-create-inquiry-session").asBoolean()).isTrue();
		assertThat(body.path("data").path("attributes").path("inquiry-template-id").asString()).isEqualTo(TEMPLATE);
		assertThat(body.path("data").path("attributes").has("reference-id")).isFalse();
		// what was created is found by the listing the gate uses
		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> assertThat(inquiries).hasSize(1))
			.verifyComplete();
	}

	@Test
	void aCreateRepeatedWithItsKeyReturnsTheSameInquiry() {
		String[] ids = new String[2];

		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.repeating("key-1", Journal.NONE))
			.as(StepVerifier::create)
			.assertNext((created) -> ids[0] = created.inquiry().id())
			.verifyComplete();
		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.repeating("key-1", Journal.NONE))
			.as(StepVerifier::create)
			.assertNext((created) -> ids[1] = created.inquiry().id())
			.verifyComplete();

		assertThat(ids[1]).isEqualTo(ids[0]);
		assertThat(persona.inquiries()).hasSize(1);
		assertThat(persona.createCalls()).isEqualTo(2);
	}

	@Test
	void anAttemptWhoseAnswerWasLostIsRetriedWithItsKey() {
		persona.dropNextResponseTo("POST", "/api/v1/inquiries");
		RecordingJournal journal = new RecordingJournal();

		retrying().createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.fresh(journal))
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();

		List<String> keys = persona.requests().stream().map((r) -> r.getHeaders().get("Idempotency-Key")).toList();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
		assertThat(persona.inquiries()).hasSize(1);
		assertThat(journal.events).containsExactly("sending " + keys.get(0));
	}

	@Test
	void aFailurePersonaStoredEndsTheCreateAndUsesUpItsKey() {
		persona.failNext(FakePersona.error(503, "Service unavailable", "try again"));
		RecordingJournal journal = new RecordingJournal();

		retrying().createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.fresh(journal))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(PersonaException.Unavailable.class)
				.satisfies((unavailable) -> assertThat(((PersonaException) unavailable).isKeySpent()).isTrue()))
			.verify();

		// a new key only after the caller has listed what exists
		List<String> keys = persona.requests().stream().map((r) -> r.getHeaders().get("Idempotency-Key")).toList();
		assertThat(keys).hasSize(1);
		assertThat(persona.inquiries()).isEmpty();
		assertThat(journal.events).containsExactly("sending " + keys.get(0), "spent " + keys.get(0));
	}

	@Test
	void aGatewaysAnswerLeavesTheKeyKeptAndTheRetryReplaysTheCreate() {
		persona.gatewayAnswersNext("POST", "/api/v1/inquiries", 502);
		RecordingJournal journal = new RecordingJournal();

		retrying().createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.fresh(journal))
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();

		List<String> keys = persona.requests().stream().map((r) -> r.getHeaders().get("Idempotency-Key")).toList();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
		assertThat(persona.inquiries()).hasSize(1);
		assertThat(journal.events).containsExactly("sending " + keys.get(0));
	}

	@Test
	void aRateLimitedAttemptKeepsItsKey() {
		persona.failNext(new MockResponse.Builder().code(429).addHeader("RateLimit-Reset", "0").build());

		retrying().createInquiry("user-1", new TemplateId(TEMPLATE), IdempotencyKey.fresh(Journal.NONE))
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();

		List<String> keys = persona.requests().stream().map((r) -> r.getHeaders().get("Idempotency-Key")).toList();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
	}

	@Test
	void eachResumeSendsNoBodyAndAFreshKeyAndGetsAFreshToken() {
		FakePersona.FakeInquiry expired = persona.seed("user-1", TEMPLATE, "pending", Instant.now().minusSeconds(7200))
			.expiredAt(Instant.now().minusSeconds(60));
		List<String> tokens = new ArrayList<>();

		for (int i = 0; i < 2; i++) {
			this.client.resumeInquiry(expired.id).as(StepVerifier::create).assertNext((resumed) -> {
				assertThat(resumed.inquiry().id()).isEqualTo(expired.id);
				assertThat(resumed.inquiry().status()).isEqualTo(InquiryStatus.PENDING);
				assertThat(resumed.sessionToken()).startsWith("session-for-" + expired.id);
				tokens.add(resumed.sessionToken());
			}).verifyComplete();
		}

		assertThat(tokens).doesNotHaveDuplicates();
		List<RecordedRequest> requests = persona.requests();
		assertThat(requests).allSatisfy((request) -> {
			assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/inquiries/" + expired.id + "/resume");
			assertThat(request.getBodySize()).isZero();
		});
		assertThat(requests.get(0).getHeaders().get("Idempotency-Key"))
			.isNotEqualTo(requests.get(1).getHeaders().get("Idempotency-Key"));
	}

	@Test
	void aRedactedInquiryCannotBeResumed() {
		FakePersona.FakeInquiry pending = persona.seed("user-1", TEMPLATE, "pending", Instant.now());
		persona.redact(pending.id);

		this.client.resumeInquiry(pending.id)
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(PersonaException.Conflict.class)
				.hasMessageContaining("redacted"))
			.verify();
	}

	@Test
	void resumingADecidedInquiryIsAConflict() {
		FakePersona.FakeInquiry declined = persona.seed("user-1", TEMPLATE, "declined", Instant.now());

		this.client.resumeInquiry(declined.id)
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(PersonaException.Conflict.class)
				.hasMessageContaining("409")
				.hasMessageContaining("cannot be resumed"))
			.verify();
	}

	@ParameterizedTest
	@CsvSource({ "401, Unauthorized", "403, Unauthorized", "404, NotFound", "409, Conflict", "422, Rejected",
			"400, Rejected", "429, RateLimited", "500, Unavailable", "502, Unavailable", "503, Unavailable" })
	void errorsBecomeTypedExceptions(int status, String type) {
		persona.failNext(FakePersona.error(status, "Title " + status, "Details " + status));

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> {
				assertThat(ex.getClass().getSimpleName()).isEqualTo(type);
				assertThat(ex).hasMessageContaining("Details " + status);
				assertThat(((PersonaException) ex).status()).isEqualTo(status);
				assertThat(((PersonaException) ex).requestId()).startsWith("req_");
			})
			.verify();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "Forbidden|You have hit your create_verification quota limit of 300 requests|Unavailable",
					"Quota exceeded|Monthly inquiry quota exceeded|Unavailable",
					"Forbidden|IP address is not permitted access to current environment|Unavailable",
					"Forbidden|Verification creation API is not enabled|Unauthorized",
					"Forbidden|Resource cannot be created in an inactive environment|Unauthorized" })
	void aForbiddenAnswerIsToldApartByItsErrors(String title, String details, String type) {
		persona.failNext(FakePersona.error(403, title, details));

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> {
				assertThat(ex.getClass().getSimpleName()).isEqualTo(type);
				assertThat(((PersonaException) ex).status()).isEqualTo(403);
			})
			.verify();
	}

	@Test
	void aRequestTimeoutIsATransientUnavailability() {
		persona.failNext(FakePersona.error(408, "Request Timeout", "The server timed out waiting for the request"));

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(PersonaException.Unavailable.class,
					(unavailable) -> assertThat(unavailable.isTransient()).isTrue()))
			.verify();
	}

	@ParameterizedTest
	@CsvSource({ "/api/v1/inquiries?page%5Bafter%5D=inq_X1&page%5Bsize%5D=100, inq_X1",
			"/api/v1/inquiries?page[after]=inq_X2&page[size]=100, inq_X2",
			"https://api.withpersona.com/api/v1/inquiries?page[size]=5&page%5Bafter%5D=inq_X3, inq_X3",
			"/api/v1/inquiries?page%5Bsize%5D=100, ", "/api/v1/inquiries, " })
	void theNextCursorIsReadWhateverTheBracketsLookLike(String next, String cursor) {
		assertThat(PersonaClient.nextCursor(new JsonApi.Links(next))).isEqualTo(cursor);
	}

	@Test
	void listFollowsLinksWithLiteralBrackets() {
		persona.literalBracketsInLinks(true);
		for (int i = 0; i < 150; i++) {
			persona.seed("user-1", TEMPLATE, "expired", Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
		}

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> assertThat(inquiries).hasSize(150))
			.verifyComplete();

		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void rateLimitCarriesTheResetTime() {
		persona.failNext(new MockResponse.Builder().code(429).addHeader("RateLimit-Reset", "7").build());

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(PersonaException.RateLimited.class,
					(limited) -> assertThat(limited.resetSeconds()).isEqualTo(7)))
			.verify();
	}

	@Test
	void unreadableBodyIsUnavailable() {
		persona.failNext(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"data\": [ {")
			.build());

		this.client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectError(PersonaException.Unavailable.class)
			.verify();
	}

	@Test
	void unreachablePersonaIsUnavailable() {
		PersonaClient unreachable = client("http://127.0.0.1:1/api/v1");

		unreachable.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(PersonaException.Unavailable.class)
				.hasMessageContaining("could not be reached"))
			.verify();
	}

	@Test
	void slowPersonaTimesOutAsUnavailable() {
		persona.latency(1500);
		PersonaClient impatient = client(
				PersonaProperties.of(URI.create(persona.baseUrl()), "test-api-key", Duration.ofMillis(300)));

		impatient.listInquiries("user-1", new TemplateId(TEMPLATE))
			.as(StepVerifier::create)
			.expectError(PersonaException.Unavailable.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void backgroundWorkGivesWayWhileTheBudgetIsShortAndRequestsWait() {
		PersonaProperties properties = PersonaProperties.of(URI.create(persona.baseUrl()), "test-api-key",
				Duration.ofSeconds(5));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		// every permit comes after a wait: the budget is short
		PersonaPermits short_ = (caller) -> Mono.just(Duration.ofMillis(50));
		PersonaClient client = new PersonaClient(WebClient.builder(), properties,
				new PersonaResilience(properties, meters, short_),
				new PersonaCredentials(properties, Clock.systemUTC()), meters);

		client.listEvents(List.of("inquiry.approved"), null, 10)
			.as(StepVerifier::create)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(PersonaException.Unavailable.class)
				.hasMessageContaining("background work gives way"))
			.verify(Duration.ofSeconds(5));
		assertThat(persona.eventListCalls()).isZero();

		client.listInquiries("user-1", new TemplateId(TEMPLATE))
			.contextWrite(new PersonaCaller("user-1", TEMPLATE).asContext())
			.as(StepVerifier::create)
			.expectNextCount(1)
			.verifyComplete();
		assertThat(persona.listCalls()).isEqualTo(1);
	}

	/** A client with the default retries, so that attempts follow one another. */
	private static PersonaClient retrying() {
		return client(PersonaProperties.of(URI.create(persona.baseUrl()), "test-api-key", Duration.ofSeconds(5)));
	}

	/** Writes down what it hears. */
	private static final class RecordingJournal implements Journal {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public Mono<Void> sending(String key) {
			return Mono.fromRunnable(() -> this.events.add("sending " + key));
		}

		@Override
		public Mono<Void> spent(String key) {
			return Mono.fromRunnable(() -> this.events.add("spent " + key));
		}

	}

	private static PersonaClient client(String baseUrl) {
		return client(withoutRetries(PersonaProperties.of(URI.create(baseUrl), "test-api-key", Duration.ofSeconds(5))));
	}

	static PersonaClient client(PersonaProperties properties) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		return new PersonaClient(WebClient.builder(), properties, new PersonaResilience(properties, meters),
				new PersonaCredentials(properties, Clock.systemUTC()), meters);
	}

	/** One attempt per call, so each injected failure is seen as it is. */
	private static PersonaProperties withoutRetries(PersonaProperties p) {
		return new PersonaProperties(p.baseUrl(), p.apiKey(), p.version(), p.pageSize(), p.maxPages(),
				p.connectTimeout(), p.responseTimeout(), p.deadline(),
				new PersonaProperties.Retry(1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO),
				p.circuitBreaker(), p.rateLimit(), p.authFailureLogInterval());
	}

}
