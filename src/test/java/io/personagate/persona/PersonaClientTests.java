package io.personagate.persona;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.personagate.support.FakePersona;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

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
	}

	@Test
	void legacyTemplatesUseTheirOwnFilterAndAttribute() {
		persona.seed("user-1", LEGACY_TEMPLATE, "completed", Instant.parse("2026-01-01T00:00:00Z"));

		this.client.listInquiries("user-1", new TemplateId(LEGACY_TEMPLATE))
			.as(StepVerifier::create)
			.assertNext((inquiries) -> assertThat(inquiries).singleElement()
				.satisfies((inquiry) -> assertThat(inquiry.templateId()).isEqualTo(LEGACY_TEMPLATE)))
			.verifyComplete();
		this.client.createInquiry("user-1", new TemplateId(LEGACY_TEMPLATE), "key-legacy")
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
		String key = IdempotencyKeys.forCreate("user-1", new TemplateId(TEMPLATE), 1);

		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), key)
			.as(StepVerifier::create)
			.assertNext((created) -> {
				assertThat(created.inquiry().status()).isEqualTo(InquiryStatus.CREATED);
				assertThat(created.inquiry().referenceId()).isEqualTo("user-1");
				assertThat(created.sessionToken()).isEqualTo("session-for-" + created.inquiry().id());
			})
			.verifyComplete();

		RecordedRequest request = persona.requests().get(0);
		assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo(key);
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
	void aRetriedCreateWithTheSameKeyReturnsTheSameInquiry() {
		String key = IdempotencyKeys.forCreate("user-1", new TemplateId(TEMPLATE), 1);
		String[] ids = new String[2];

		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), key)
			.as(StepVerifier::create)
			.assertNext((created) -> ids[0] = created.inquiry().id())
			.verifyComplete();
		this.client.createInquiry("user-1", new TemplateId(TEMPLATE), key)
			.as(StepVerifier::create)
			.assertNext((created) -> ids[1] = created.inquiry().id())
			.verifyComplete();

		assertThat(ids[1]).isEqualTo(ids[0]);
		assertThat(persona.inquiries()).hasSize(1);
		assertThat(persona.createCalls()).isEqualTo(2);
	}

	@Test
	void idempotencyKeysAreStableAndDistinct() {
		TemplateId template = new TemplateId(TEMPLATE);
		String first = IdempotencyKeys.forCreate("user-1", template, 1);

		assertThat(IdempotencyKeys.forCreate("user-1", template, 1)).isEqualTo(first);
		assertThat(first).startsWith("gate-create-").hasSize("gate-create-".length() + 40);
		assertThat(IdempotencyKeys.forCreate("user-1", template, 2)).isNotEqualTo(first);
		assertThat(IdempotencyKeys.forCreate("user-2", template, 1)).isNotEqualTo(first);
		assertThat(IdempotencyKeys.forCreate("user-1", new TemplateId(LEGACY_TEMPLATE), 1)).isNotEqualTo(first);
		assertThat(IdempotencyKeys.forCreate("user-1:", new TemplateId("itmpl_x"), 1))
			.isNotEqualTo(IdempotencyKeys.forCreate("user-1", new TemplateId("itmpl_x"), 1));
		assertThat(IdempotencyKeys.forResume("inq_1", "2026-01-01T00:00:00Z"))
			.isEqualTo(IdempotencyKeys.forResume("inq_1", "2026-01-01T00:00:00Z"))
			.isNotEqualTo(IdempotencyKeys.forResume("inq_1", "2026-01-02T00:00:00Z"));
	}

	@Test
	void resumeReturnsASessionTokenAndRevivesAnExpiredInquiry() {
		FakePersona.FakeInquiry expired = persona.seed("user-1", TEMPLATE, "pending", Instant.now().minusSeconds(7200))
			.expiredAt(Instant.now().minusSeconds(60));

		this.client.resumeInquiry(expired.id, "resume-key").as(StepVerifier::create).assertNext((resumed) -> {
			assertThat(resumed.inquiry().id()).isEqualTo(expired.id);
			assertThat(resumed.inquiry().status()).isEqualTo(InquiryStatus.PENDING);
			assertThat(resumed.sessionToken()).startsWith("session-for-" + expired.id);
		}).verifyComplete();

		RecordedRequest request = persona.requests().get(0);
		assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/inquiries/" + expired.id + "/resume");
		assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo("resume-key");
	}

	@Test
	void resumingADecidedInquiryIsAConflict() {
		FakePersona.FakeInquiry declined = persona.seed("user-1", TEMPLATE, "declined", Instant.now());

		this.client.resumeInquiry(declined.id, "k")
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
