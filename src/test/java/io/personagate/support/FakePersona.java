package io.personagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fake Persona on a real HTTP server (MockWebServer): it keeps inquiries in memory and answers list
 * (filters and cursor pages), create (with idempotency keys) and resume the way Persona's API does,
 * with bodies built from the inquiry example in Persona's OpenAPI spec. Tests seed inquiries, inject
 * failures, and read back every request it got.
 */
public final class FakePersona implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern RESUME = Pattern.compile("/api/v1/inquiries/([^/]+)/resume");

	private final MockWebServer server = new MockWebServer();

	private final List<FakeInquiry> inquiries = new ArrayList<>();

	private final Map<String, MockResponse> idempotentResponses = new HashMap<>();

	private final Deque<MockResponse> injected = new ArrayDeque<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final ObjectNode example;

	private final AtomicInteger sequence = new AtomicInteger();

	private volatile long latencyMillis;

	private MockResponse failingWith;

	private String dropNext;

	public FakePersona() {
		try (InputStream in = FakePersona.class.getResourceAsStream("/persona/inquiry-created-example.json")) {
			this.example = (ObjectNode) json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				FakePersona.this.requests.add(request);
				if (FakePersona.this.latencyMillis > 0) {
					Thread.sleep(FakePersona.this.latencyMillis);
				}
				return FakePersona.this.handle(request);
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The base URL to configure as {@code persona.base-url}. */
	public String baseUrl() {
		return this.server.url("/api/v1").toString();
	}

	public void latency(long millis) {
		this.latencyMillis = millis;
	}

	/** Adds an inquiry as if the user had it at Persona already. */
	public synchronized FakeInquiry seed(String referenceId, String templateId, String status, Instant createdAt) {
		FakeInquiry inquiry = new FakeInquiry(nextId(), referenceId, templateId, status, createdAt, createdAt, null);
		this.inquiries.add(inquiry);
		return inquiry;
	}

	public synchronized void setStatus(String inquiryId, String status, Instant at) {
		FakeInquiry inquiry = find(inquiryId);
		inquiry.status = status;
		inquiry.updatedAt = at;
		if ("expired".equals(status)) {
			inquiry.expiredAt = at;
		}
	}

	/** The next request, whatever it is, gets this answer instead of the normal one. */
	public synchronized void failNext(MockResponse response) {
		this.injected.add(response);
	}

	/** Every request gets this answer until {@link #reset()} (or {@code null} to recover). */
	public synchronized void failAll(MockResponse response) {
		this.failingWith = response;
	}

	/**
	 * The next answer to {@code method path} is computed as usual (the action takes effect) but the
	 * connection drops while its body is sent.
	 */
	public synchronized void dropNextResponseTo(String method, String path) {
		this.dropNext = method + " " + path;
	}

	public synchronized List<FakeInquiry> inquiries() {
		return List.copyOf(this.inquiries);
	}

	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	public long count(String method, String pathPrefix) {
		return this.requests.stream()
			.filter((r) -> r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathPrefix))
			.count();
	}

	public long listCalls() {
		return this.requests.stream()
			.filter((r) -> r.getMethod().equals("GET") && r.getUrl().encodedPath().equals("/api/v1/inquiries"))
			.count();
	}

	public long createCalls() {
		return this.requests.stream()
			.filter((r) -> r.getMethod().equals("POST") && r.getUrl().encodedPath().equals("/api/v1/inquiries"))
			.count();
	}

	public long resumeCalls() {
		return this.requests.stream()
			.filter((r) -> r.getMethod().equals("POST") && r.getUrl().encodedPath().endsWith("/resume"))
			.count();
	}

	public synchronized void reset() {
		this.inquiries.clear();
		this.idempotentResponses.clear();
		this.injected.clear();
		this.requests.clear();
		this.latencyMillis = 0;
		this.failingWith = null;
		this.dropNext = null;
	}

	@Override
	public void close() {
		this.server.close();
	}

	private synchronized MockResponse handle(RecordedRequest request) {
		MockResponse failure = this.injected.poll();
		if (failure != null) {
			return failure;
		}
		if (this.failingWith != null) {
			return this.failingWith;
		}
		MockResponse response = route(request);
		if ((request.getMethod() + " " + request.getUrl().encodedPath()).equals(this.dropNext)) {
			this.dropNext = null;
			return new MockResponse.Builder(response).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
		}
		return response;
	}

	private MockResponse route(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		if (request.getMethod().equals("GET") && path.equals("/api/v1/inquiries")) {
			return list(request.getUrl());
		}
		if (request.getMethod().equals("POST") && path.equals("/api/v1/inquiries")) {
			return idempotent(request, () -> create(request));
		}
		Matcher resume = RESUME.matcher(path);
		if (request.getMethod().equals("POST") && resume.matches()) {
			return idempotent(request, () -> resume(resume.group(1)));
		}
		return error(404, "Not found", "No route for " + request.getMethod() + " " + path);
	}

	private MockResponse idempotent(RecordedRequest request, java.util.function.Supplier<MockResponse> action) {
		String key = request.getHeaders().get("Idempotency-Key");
		if (key == null) {
			return action.get();
		}
		return this.idempotentResponses.computeIfAbsent(key, (k) -> action.get());
	}

	private MockResponse list(HttpUrl url) {
		String referenceId = url.queryParameter("filter[reference-id]");
		String template = (url.queryParameter("filter[inquiry-template-id]") != null)
				? url.queryParameter("filter[inquiry-template-id]") : url.queryParameter("filter[template-id]");
		int size = (url.queryParameter("page[size]") != null) ? Integer.parseInt(url.queryParameter("page[size]"))
				: 10;
		String after = url.queryParameter("page[after]");
		List<FakeInquiry> matching = this.inquiries.stream()
			.filter((i) -> referenceId == null || referenceId.equals(i.referenceId))
			.filter((i) -> template == null || template.equals(i.templateId))
			.sorted(Comparator.comparing((FakeInquiry i) -> i.createdAt).thenComparing((i) -> i.id).reversed())
			.toList();
		int start = 0;
		if (after != null) {
			for (int i = 0; i < matching.size(); i++) {
				if (matching.get(i).id.equals(after)) {
					start = i + 1;
				}
			}
		}
		List<FakeInquiry> page = matching.subList(Math.min(start, matching.size()),
				Math.min(start + size, matching.size()));
		ObjectNode body = json.createObjectNode();
		page.forEach((inquiry) -> body.withArray("data").add(resource(inquiry)));
		if (page.isEmpty()) {
			body.putArray("data");
		}
		ObjectNode links = body.putObject("links");
		links.putNull("prev");
		if (start + size < matching.size()) {
			links.put("next", "/api/v1/inquiries?page%5Bafter%5D=" + page.get(page.size() - 1).id + "&page%5Bsize%5D="
					+ size);
		}
		else {
			links.putNull("next");
		}
		return ok(200, body);
	}

	private MockResponse create(RecordedRequest request) {
		JsonNode body = json.readTree(request.getBody().utf8());
		JsonNode attributes = body.path("data").path("attributes");
		String template = attributes.hasNonNull("inquiry-template-id") ? attributes.get("inquiry-template-id").asString()
				: attributes.path("template-id").asString(null);
		String referenceId = body.path("meta").path("auto-create-account-reference-id").asString(null);
		if (referenceId == null) {
			referenceId = attributes.path("reference-id").asString(null);
		}
		if (template == null) {
			return error(422, "Invalid request", "template-id or inquiry-template-id is required");
		}
		Instant now = Instant.now();
		FakeInquiry inquiry = new FakeInquiry(nextId(), referenceId, template, "created", now, now, null);
		this.inquiries.add(inquiry);
		ObjectNode document = json.createObjectNode();
		document.set("data", resource(inquiry));
		ObjectNode meta = document.putObject("meta");
		boolean session = body.path("meta").path("auto-create-inquiry-session").asBoolean(false);
		if (session) {
			meta.put("session-token", "session-for-" + inquiry.id);
		}
		else {
			meta.putNull("session-token");
		}
		meta.putNull("one-time-link");
		meta.putNull("one-time-link-short");
		return ok(201, document);
	}

	private MockResponse resume(String inquiryId) {
		FakeInquiry inquiry = this.inquiries.stream().filter((i) -> i.id.equals(inquiryId)).findFirst().orElse(null);
		if (inquiry == null) {
			return error(404, "Record not found", "Could not find inquiry " + inquiryId);
		}
		if (!List.of("created", "pending", "expired").contains(inquiry.status)) {
			return error(409, "Conflict", "Inquiry is " + inquiry.status + " and cannot be resumed");
		}
		if (inquiry.status.equals("expired")) {
			inquiry.status = "pending";
			inquiry.expiredAt = null;
			inquiry.updatedAt = Instant.now();
		}
		ObjectNode document = json.createObjectNode();
		document.set("data", resource(inquiry));
		document.putObject("meta").put("session-token", "session-for-" + inquiry.id + "-" + this.sequence.incrementAndGet());
		return ok(200, document);
	}

	private ObjectNode resource(FakeInquiry inquiry) {
		ObjectNode resource = this.example.deepCopy();
		resource.put("id", inquiry.id);
		ObjectNode attributes = (ObjectNode) resource.get("attributes");
		attributes.put("status", inquiry.status);
		attributes.put("reference-id", inquiry.referenceId);
		attributes.put("created-at", inquiry.createdAt.toString());
		attributes.put("updated-at", inquiry.updatedAt.toString());
		if (inquiry.expiredAt != null) {
			attributes.put("expired-at", inquiry.expiredAt.toString());
		}
		else {
			attributes.putNull("expired-at");
		}
		ObjectNode relationships = (ObjectNode) resource.get("relationships");
		boolean legacy = inquiry.templateId.startsWith("tmpl_");
		ObjectNode template = relationships.putObject("template").putObject("data");
		ObjectNode inquiryTemplate = relationships.putObject("inquiry-template").putObject("data");
		if (legacy) {
			template.put("type", "template").put("id", inquiry.templateId);
			relationships.putObject("inquiry-template").putNull("data");
		}
		else {
			inquiryTemplate.put("type", "inquiry-template").put("id", inquiry.templateId);
		}
		return resource;
	}

	private FakeInquiry find(String inquiryId) {
		return this.inquiries.stream()
			.filter((i) -> i.id.equals(inquiryId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No inquiry " + inquiryId));
	}

	private String nextId() {
		return "inq_fake%020d".formatted(this.sequence.incrementAndGet());
	}

	private static MockResponse ok(int code, JsonNode body) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json; charset=utf-8")
			.addHeader("Request-Id", "req_" + java.util.UUID.randomUUID())
			.body(json.writeValueAsString(body))
			.build();
	}

	/** An error answer in Persona's format. */
	public static MockResponse error(int code, String title, String details) {
		ObjectNode body = json.createObjectNode();
		body.putArray("errors").addObject().put("title", title).put("details", details);
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json; charset=utf-8")
			.addHeader("Request-Id", "req_" + java.util.UUID.randomUUID())
			.body(json.writeValueAsString(body))
			.build();
	}

	/** One inquiry held by the fake. */
	public static final class FakeInquiry {

		public final String id;

		public final String referenceId;

		public final String templateId;

		public volatile String status;

		public final Instant createdAt;

		public volatile Instant updatedAt;

		public volatile Instant expiredAt;

		FakeInquiry(String id, String referenceId, String templateId, String status, Instant createdAt,
				Instant updatedAt, Instant expiredAt) {
			this.id = id;
			this.referenceId = referenceId;
			this.templateId = templateId;
			this.status = status;
			this.createdAt = createdAt;
			this.updatedAt = updatedAt;
			this.expiredAt = expiredAt;
		}

		public FakeInquiry expiredAt(Instant at) {
			this.status = "expired";
			this.expiredAt = at;
			this.updatedAt = at;
			return this;
		}

	}

}
