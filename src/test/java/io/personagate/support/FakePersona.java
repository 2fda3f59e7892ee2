package io.personagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ServerSocketFactory;

import io.personagate.webhook.WebhookSignature;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Persona's inquiry API on a real HTTP server (MockWebServer), in memory: the fake
 * Persona of the tests and the Persona emulator of development mode. It answers list
 * (filters, sparse fieldsets and cursor pages), create, resume (with session tokens) and
 * redact the way Persona's API does, with bodies built from the inquiry example in
 * Persona's OpenAPI spec, after an optional latency. It is at least as strict as Persona:
 * it checks {@code Authorization} and {@code Persona-Version}, refuses unknown query
 * parameters, filters and fields with 400, stores the first answer to each
 * {@code Idempotency-Key} (failures and injected faults included) and replays it, refuses
 * a key reused with other parameters, refuses to resume a redacted inquiry, and sends
 * {@code Request-Id} and the {@code RateLimit-*} headers on every answer. Inquiries move
 * through their lifecycle with {@link #simulate} or Persona's own {@code POST
 * /inquiries/{id}/perform-simulate-actions}; each move sends the signed {@code inquiry.*}
 * webhook Persona would send, once a target is set with {@link #deliverWebhooksTo}, with
 * {@code reference-id: null} as in every webhook example of the spec. Tests seed
 * inquiries, inject failures, and read back the requests it got.
 */
public final class FakePersona implements AutoCloseable {

	/** How many requests {@link #requests()} keeps; the counters count them all. */
	public static final int RECORDED_REQUESTS = 10_000;

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * The API key a {@link #FakePersona()} accepts, the tests' {@code persona.api-key}.
	 */
	public static final String TEST_API_KEY = "test-api-key";

	private static final Pattern RESUME = Pattern.compile("/api/v1/inquiries/([^/]+)/resume");

	private static final Pattern INQUIRY = Pattern.compile("/api/v1/inquiries/([^/]+)");

	/** {@code components.schemas.api-version.enum} of the spec. */
	private static final Set<String> VERSIONS = Set.of("2025-12-08", "2025-10-27", "2023-01-05", "2022-09-01",
			"2021-08-18", "2021-07-05", "2021-02-21", "2020-05-18");

	/**
	 * The attributes of {@code components.schemas.inquiry}: what {@code fields[inquiry]}
	 * may name.
	 */
	private static final Set<String> INQUIRY_ATTRIBUTES = Set.of("behaviors", "completed-at", "created-at", "creator",
			"decisioned-at", "expired-at", "expires-at", "failed-at", "fields", "marked-for-review-at",
			"next-step-name", "note", "previous-step-name", "redacted-at", "reference-id", "reviewer-comment",
			"started-at", "status", "tags", "updated-at");

	/**
	 * The keys of {@code filter} on {@code GET /inquiries}
	 * ({@code paths./inquiries.get.parameters}).
	 */
	private static final Set<String> INQUIRY_FILTERS = Set.of("inquiry-id", "account-id", "note", "reference-id",
			"inquiry-template-id", "template-id", "status", "created-at-start", "created-at-end");

	/** {@code components.parameters.pagination-query-params}. */
	private static final Set<String> PAGE_PARAMETERS = Set.of("after", "before", "size");

	/** Persona's default limit: 300 requests per minute per environment. */
	private static final int RATE_LIMIT = 300;

	private static final SecureRandom random = new SecureRandom();

	private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final Pattern SIMULATE = Pattern.compile("/api/v1/inquiries/([^/]+)/perform-simulate-actions");

	private static final List<String> MOMENTS = List.of("started-at", "completed-at", "failed-at",
			"marked-for-review-at", "decisioned-at");

	private final MockWebServer server = new MockWebServer();

	private final List<FakeInquiry> inquiries = new ArrayList<>();

	/**
	 * Persona's event list ({@code GET /events}), oldest first: every change recorded.
	 */
	private final List<FakeEvent> events = new ArrayList<>();

	private final String apiKey;

	private final Map<String, Stored> idempotentResponses = new HashMap<>();

	private final Deque<MockResponse> injected = new ArrayDeque<>();

	private final Map<String, Deque<MockResponse>> injectedTo = new HashMap<>();

	private final Deque<RecordedRequest> requests = new ConcurrentLinkedDeque<>();

	private final AtomicInteger recorded = new AtomicInteger();

	private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

	private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();

	private final HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ObjectNode example;

	private final AtomicInteger sequence = new AtomicInteger();

	private final AtomicInteger eventListsInFlight = new AtomicInteger();

	private final AtomicInteger mostEventListsInFlight = new AtomicInteger();

	private volatile long latencyMillis;

	private int rateLimit;

	private Instant windowStart;

	private int windowCount;

	private final AtomicInteger tooManyRequests = new AtomicInteger();

	private MockResponse failingWith;

	private final Map<String, Integer> dropNext = new HashMap<>();

	private boolean literalBracketsInLinks;

	private final Map<String, Deque<Integer>> gatewayAnswers = new HashMap<>();

	private final Set<String> keysInUse = ConcurrentHashMap.newKeySet();

	private volatile long createProcessingMillis;

	private int hiddenFromListings;

	private final Set<String> hidden = new java.util.HashSet<>();

	private long rateWindow;

	private int rateUsed;

	private volatile URI webhookTarget;

	private volatile String webhookSecret;

	/** An emulator that accepts {@link #TEST_API_KEY}. */
	public FakePersona() {
		this(TEST_API_KEY);
	}

	/** An emulator that accepts only {@code Authorization: Bearer <apiKey>}. */
	public FakePersona(String apiKey) {
		this.apiKey = apiKey;
		try (InputStream in = FakePersona.class.getResourceAsStream("/persona/inquiry-created-example.json")) {
			this.example = (ObjectNode) json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				FakePersona.this.record(request);
				boolean eventList = request.getUrl().encodedPath().equals("/api/v1/events");
				if (eventList) {
					FakePersona.this.mostEventListsInFlight
						.accumulateAndGet(FakePersona.this.eventListsInFlight.incrementAndGet(), Math::max);
				}
				String key = FakePersona.this.createKey(request);
				if (key != null && !FakePersona.this.keysInUse.add(key)) {
					// an idempotency store that is still running the first request with
					// this key answers the second at once
					return FakePersona.this.withStandardHeaders(error(409, "Conflict",
							"A request with this Idempotency-Key is still being processed; retry it later"));
				}
				try {
					if (FakePersona.this.latencyMillis > 0) {
						Thread.sleep(FakePersona.this.latencyMillis);
					}
					if (key != null && FakePersona.this.createProcessingMillis > 0 && !FakePersona.this.answered(key)) {
						Thread.sleep(FakePersona.this.createProcessingMillis);
					}
					return FakePersona.this.withStandardHeaders(FakePersona.this.answer(request));
				}
				finally {
					if (key != null) {
						FakePersona.this.keysInUse.remove(key);
					}
					if (eventList) {
						FakePersona.this.eventListsInFlight.decrementAndGet();
					}
				}
			}
		});
		// MockWebServer flushes an answer's headers and its body apart; without
		// TCP_NODELAY the body waits for the client to acknowledge the headers, which a
		// delayed ACK holds back about 40 ms: a stall no real Persona adds
		this.server.setServerSocketFactory(new NoDelayServerSocketFactory());
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Server sockets whose accepted connections send each write at once. */
	private static final class NoDelayServerSocketFactory extends ServerSocketFactory {

		@Override
		public ServerSocket createServerSocket() throws IOException {
			return new NoDelayServerSocket();
		}

		@Override
		public ServerSocket createServerSocket(int port) throws IOException {
			ServerSocket socket = new NoDelayServerSocket();
			socket.bind(new InetSocketAddress(port));
			return socket;
		}

		@Override
		public ServerSocket createServerSocket(int port, int backlog) throws IOException {
			ServerSocket socket = new NoDelayServerSocket();
			socket.bind(new InetSocketAddress(port), backlog);
			return socket;
		}

		@Override
		public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
			ServerSocket socket = new NoDelayServerSocket();
			socket.bind(new InetSocketAddress(address, port), backlog);
			return socket;
		}

	}

	private static final class NoDelayServerSocket extends ServerSocket {

		NoDelayServerSocket() throws IOException {
		}

		@Override
		public Socket accept() throws IOException {
			Socket socket = super.accept();
			socket.setTcpNoDelay(true);
			return socket;
		}

	}

	/** Whether an answer to this key is stored: a replay is answered at once. */
	private synchronized boolean answered(String key) {
		return this.idempotentResponses.containsKey(key);
	}

	/** The {@code Idempotency-Key} of a create, or {@code null} for any other request. */
	private String createKey(RecordedRequest request) {
		return (request.getMethod().equals("POST") && request.getUrl().encodedPath().equals("/api/v1/inquiries"))
				? request.getHeaders().get("Idempotency-Key") : null;
	}

	/**
	 * How long Persona takes to run a create, after the latency: while it runs, another
	 * create with the same {@code Idempotency-Key} is answered 409 at once.
	 */
	public void createsTake(long millis) {
		this.createProcessingMillis = millis;
	}

	/**
	 * The next request to {@code method path} is handled by Persona as usual (its answer
	 * stored for its key), but a gateway in front of Persona answers {@code status}
	 * instead, with a page of its own and none of Persona's headers: a load balancer that
	 * timed out.
	 */
	public synchronized void gatewayAnswersNext(String method, String path, int status) {
		this.gatewayAnswers.computeIfAbsent(method + " " + path, (target) -> new ArrayDeque<>()).add(status);
	}

	/** The base URL to configure as {@code persona.base-url}. */
	public String baseUrl() {
		return this.server.url("/api/v1").toString();
	}

	/**
	 * Answers as Persona's environment rate limit does: the count starts with the first
	 * request, allows {@code requestsPerMinute} within the next 60 seconds, then starts
	 * again; a request over it gets 429 with {@code RateLimit-*} headers. 0 (the default)
	 * limits nothing. (docs.withpersona.com/rate-limiting)
	 */
	public synchronized void rateLimit(int requestsPerMinute) {
		this.rateLimit = requestsPerMinute;
		this.windowStart = null;
		this.windowCount = 0;
	}

	/** The requests answered 429 because of {@link #rateLimit}. */
	public int tooManyRequests() {
		return this.tooManyRequests.get();
	}

	/** How long each answer waits before it is given (none by default). */
	public void latency(long millis) {
		this.latencyMillis = millis;
	}

	public long latencyMillis() {
		return this.latencyMillis;
	}

	/** Where lifecycle moves send their webhooks, signed with this secret. */
	public void deliverWebhooksTo(URI target, String secret) {
		this.webhookTarget = target;
		this.webhookSecret = secret;
	}

	/** Adds an inquiry as if the user had it at Persona already. */
	public synchronized FakeInquiry seed(String referenceId, String templateId, String status, Instant createdAt) {
		FakeInquiry inquiry = new FakeInquiry(nextId(), referenceId, templateId, status, createdAt, createdAt, null);
		this.inquiries.add(inquiry);
		return inquiry;
	}

	/**
	 * Changes an inquiry's status as Persona would (its event goes to the event list),
	 * but sends no webhook: a change whose webhook was lost.
	 */
	public synchronized void setStatus(String inquiryId, String status, Instant at) {
		FakeInquiry inquiry = find(inquiryId);
		inquiry.status = status;
		inquiry.updatedAt = at;
		if ("expired".equals(status)) {
			inquiry.expiredAt = at;
		}
		Arrays.stream(Action.values())
			.filter((action) -> action.status.equals(status))
			.findFirst()
			.ifPresent((action) -> {
				if (action != Action.EXPIRE) {
					inquiry.moments.put(action.moment, at);
				}
				recordEvent(action.event, inquiry, at.plusMillis(100));
			});
	}

	/** The events of {@code GET /events}, oldest first. */
	public synchronized List<FakeEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * Moves an inquiry as Persona's sandbox "simulate actions" do, then sends the webhook
	 * of the move (when a target is set) and waits for its answer.
	 * @throws SimulationRefused if there is no such inquiry, or the move is not possible
	 * from its status
	 */
	public Simulation simulate(String inquiryId, Action action) {
		Move move = move(inquiryId, action);
		return new Simulation(move.inquiry(), action.status, action.event, deliver(move));
	}

	/** The next request, whatever it is, gets this answer instead of the normal one. */
	public synchronized void failNext(MockResponse response) {
		this.injected.add(response);
	}

	/**
	 * The next request to {@code method path} gets this answer instead of the normal one.
	 */
	public synchronized void failNextTo(String method, String path, MockResponse response) {
		this.injectedTo.computeIfAbsent(method + " " + path, (target) -> new ArrayDeque<>()).add(response);
	}

	/**
	 * Every request gets this answer until {@link #reset()} (or {@code null} to recover).
	 */
	public synchronized void failAll(MockResponse response) {
		this.failingWith = response;
	}

	/**
	 * The next answer to {@code method path} is computed as usual (the action takes
	 * effect) but the connection drops while its body is sent.
	 */
	public synchronized void dropNextResponseTo(String method, String path) {
		dropNextResponsesTo(method, path, 1);
	}

	/**
	 * The next {@code count} answers to {@code method path} are computed (or replayed) as
	 * usual, but the connection drops while each body is sent.
	 */
	public synchronized void dropNextResponsesTo(String method, String path, int count) {
		this.dropNext.merge(method + " " + path, count, Integer::sum);
	}

	/**
	 * The next {@code count} inquiries created through the API are left out of listings
	 * until {@link #revealHidden()}: Persona's list can lag just behind a create.
	 */
	public synchronized void hideNextCreatesFromListings(int count) {
		this.hiddenFromListings = count;
	}

	/** Lists the inquiries {@link #hideNextCreatesFromListings} held back. */
	public synchronized void revealHidden() {
		this.hidden.clear();
		this.hiddenFromListings = 0;
	}

	/**
	 * Whether {@code links.next} spells its brackets literally ({@code page[after]=}) or,
	 * as by default, percent-encoded ({@code page%5Bafter%5D=}).
	 */
	public synchronized void literalBracketsInLinks(boolean literal) {
		this.literalBracketsInLinks = literal;
	}

	/**
	 * Redacts an inquiry as {@code DELETE /inquiries/{id}} does: it keeps its status and
	 * gets a {@code redacted-at}; then sends {@code inquiry.redacted} (when a target is
	 * set) and waits for its answer.
	 * @throws SimulationRefused if there is no such inquiry (404) or it is already
	 * redacted (409)
	 */
	public Simulation redact(String inquiryId) {
		Move move = redaction(inquiryId);
		return new Simulation(move.inquiry(), move.inquiry().status, move.event(), deliver(move));
	}

	public synchronized List<FakeInquiry> inquiries() {
		return List.copyOf(this.inquiries);
	}

	/** The requests received, oldest first; only the last {@link #RECORDED_REQUESTS}. */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	public long count(String method, String pathPrefix) {
		return this.requests.stream()
			.filter((r) -> r.getMethod().equals(method) && r.getUrl().encodedPath().startsWith(pathPrefix))
			.count();
	}

	/**
	 * Requests received per operation ({@code list}, {@code create}, {@code resume},
	 * {@code simulate}, {@code other}).
	 */
	public Map<String, Long> calls() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.calls.forEach((operation, count) -> snapshot.put(operation, count.sum()));
		return snapshot;
	}

	public long listCalls() {
		return calls("list");
	}

	public long createCalls() {
		return calls("create");
	}

	public long resumeCalls() {
		return calls("resume");
	}

	public long eventListCalls() {
		return calls("events");
	}

	/** The most {@code GET /events} requests that were being answered at once. */
	public int mostEventListsAtOnce() {
		return this.mostEventListsInFlight.get();
	}

	/** The webhooks sent, oldest first. */
	public List<WebhookDelivery> webhookDeliveries() {
		return List.copyOf(this.deliveries);
	}

	/**
	 * Forgets inquiries, requests, counts, deliveries and injected failures, and drops
	 * the latency.
	 */
	public synchronized void reset() {
		this.inquiries.clear();
		this.idempotentResponses.clear();
		this.injected.clear();
		this.injectedTo.clear();
		this.requests.clear();
		this.recorded.set(0);
		this.calls.clear();
		this.deliveries.clear();
		this.events.clear();
		this.mostEventListsInFlight.set(0);
		this.latencyMillis = 0;
		this.rateLimit = 0;
		this.windowStart = null;
		this.windowCount = 0;
		this.tooManyRequests.set(0);
		this.failingWith = null;
		this.dropNext.clear();
		this.hidden.clear();
		this.hiddenFromListings = 0;
		this.literalBracketsInLinks = false;
		this.gatewayAnswers.clear();
		this.createProcessingMillis = 0;
	}

	@Override
	public void close() {
		this.server.close();
	}

	private void record(RecordedRequest request) {
		this.calls.computeIfAbsent(operation(request), (key) -> new LongAdder()).increment();
		this.requests.add(request);
		if (this.recorded.incrementAndGet() > RECORDED_REQUESTS && this.requests.pollFirst() != null) {
			this.recorded.decrementAndGet();
		}
	}

	private long calls(String operation) {
		LongAdder count = this.calls.get(operation);
		return (count != null) ? count.sum() : 0;
	}

	private static String operation(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		boolean post = request.getMethod().equals("POST");
		if (path.equals("/api/v1/inquiries")) {
			return post ? "create" : (request.getMethod().equals("GET") ? "list" : "other");
		}
		if (post && RESUME.matcher(path).matches()) {
			return "resume";
		}
		if (path.equals("/api/v1/events")) {
			return "events";
		}
		if (post && SIMULATE.matcher(path).matches()) {
			return "simulate";
		}
		return "other";
	}

	private MockResponse answer(RecordedRequest request) {
		MockResponse refused = refusal(request);
		if (refused != null) {
			return refused;
		}
		Matcher simulate = SIMULATE.matcher(request.getUrl().encodedPath());
		if (request.getMethod().equals("POST") && simulate.matches()) {
			return performSimulateActions(request, simulate.group(1));
		}
		Matcher inquiry = INQUIRY.matcher(request.getUrl().encodedPath());
		if (request.getMethod().equals("DELETE") && inquiry.matches()) {
			return redactOverHttp(request, inquiry.group(1));
		}
		return handle(request);
	}

	/**
	 * What Persona answers before a request reaches its idempotency layer: a missing or
	 * wrong API key (401), the rate limit (429; docs: /errors, "4xx and Idempotency"),
	 * and a request it cannot parse (400).
	 */
	private synchronized MockResponse refusal(RecordedRequest request) {
		if (!("Bearer " + this.apiKey).equals(request.getHeaders().get("Authorization"))) {
			// components.responses.unauthorized: a title and no details
			return json(401,
					errors(json.createObjectNode().put("title", "Must be authenticated to access this endpoint")));
		}
		MockResponse limited = overRateLimit();
		if (limited != null) {
			return limited;
		}
		MockResponse injected = this.injected.peek();
		if (injected != null && beforeIdempotency(injected)) {
			return this.injected.poll();
		}
		if (this.failingWith != null && beforeIdempotency(this.failingWith)) {
			return this.failingWith;
		}
		String version = request.getHeaders().get("Persona-Version");
		if (version == null || !VERSIONS.contains(version)) {
			// Persona falls back to the account's version when the header is missing; a
			// service that does not pin it may read another shape one day, so the
			// emulator refuses
			return error(400, "Bad Request", "Persona-Version must be one of " + new TreeSet<>(VERSIONS));
		}
		return badQuery(request);
	}

	private MockResponse overRateLimit() {
		if (this.rateLimit <= 0) {
			return null;
		}
		Instant now = Instant.now();
		if (this.windowStart == null || !now.isBefore(this.windowStart.plusSeconds(60))) {
			this.windowStart = now;
			this.windowCount = 0;
		}
		this.windowCount++;
		if (this.windowCount <= this.rateLimit) {
			return null;
		}
		this.tooManyRequests.incrementAndGet();
		long reset = Math.max(1, Duration.between(now, this.windowStart.plusSeconds(60)).toSeconds());
		return new MockResponse.Builder(error(429, "Too Many Requests", "Rate limit exceeded"))
			.addHeader("RateLimit-Limit", this.rateLimit)
			.addHeader("RateLimit-Remaining", 0)
			.addHeader("RateLimit-Reset", reset)
			.build();
	}

	private static boolean beforeIdempotency(MockResponse response) {
		return response.getCode() == 401 || response.getCode() == 429;
	}

	/**
	 * 400 for a query parameter, filter or field the operation does not define
	 * (deepObject parameters with {@code additionalProperties: false} in the spec).
	 */
	private static MockResponse badQuery(RecordedRequest request) {
		HttpUrl url = request.getUrl();
		if (url.encodedPath().equals("/api/v1/events")) {
			// checked by listEvents, against its own parameters
			return null;
		}
		boolean list = request.getMethod().equals("GET") && url.encodedPath().equals("/api/v1/inquiries");
		for (String name : url.queryParameterNames()) {
			String value = url.queryParameter(name);
			Matcher deep = Pattern.compile("([a-z]+)\\[([^\\]]+)\\]").matcher(name);
			String root = deep.matches() ? deep.group(1) : name;
			String key = deep.matches() ? deep.group(2) : null;
			boolean known = switch (root) {
				case "filter" -> list && key != null && INQUIRY_FILTERS.contains(key);
				case "page" -> list && key != null && PAGE_PARAMETERS.contains(key);
				case "fields" -> key != null;
				// "include is not supported on list endpoints": 400 there
				case "include" -> !list && key == null;
				default -> false;
			};
			if (!known) {
				return error(400, "Bad Request", "Unknown query parameter " + name);
			}
			if ("fields".equals(root) && "inquiry".equals(key)) {
				for (String field : value.split(",")) {
					if (!INQUIRY_ATTRIBUTES.contains(field.trim())) {
						return error(400, "Bad Request", "fields[inquiry] names an unknown attribute: " + field);
					}
				}
			}
			if ("page".equals(root) && "size".equals(key)) {
				int size;
				try {
					size = Integer.parseInt(value);
				}
				catch (NumberFormatException ex) {
					size = 0;
				}
				if (size < 1 || size > 100) {
					return error(400, "Bad Request", "page[size] must be between 1 and 100");
				}
			}
		}
		return null;
	}

	/**
	 * Persona's idempotency layer (docs: /idempotence): the first answer to a key is
	 * stored, whatever it was, and replayed to every later request with that key; a key
	 * reused with other parameters is refused with 400. Injected faults are answers like
	 * any other: a stored 500 is replayed as a 500.
	 */
	private synchronized MockResponse handle(RecordedRequest request) {
		String key = request.getMethod().equals("POST") ? request.getHeaders().get("Idempotency-Key") : null;
		// Persona compares the parameters, not the bytes: the order of JSON members does
		// not matter
		Fingerprint fingerprint = new Fingerprint(
				request.getMethod() + " " + request.getUrl().encodedPath() + "?" + request.getUrl().encodedQuery(),
				parameters(request));
		MockResponse response;
		Stored stored = (key != null) ? this.idempotentResponses.get(key) : null;
		if (stored != null && !stored.fingerprint().equals(fingerprint)) {
			return error(400, "Idempotency error",
					"Keys for idempotent requests can only be used with the same "
							+ "parameters they were first used with. Try using a key other than '" + key
							+ "' if you meant to execute a different request.");
		}
		if (stored != null) {
			response = stored.response();
		}
		else {
			Deque<MockResponse> targeted = this.injectedTo
				.get(request.getMethod() + " " + request.getUrl().encodedPath());
			MockResponse failure = (targeted != null && !targeted.isEmpty()) ? targeted.poll() : this.injected.poll();
			response = (failure != null) ? failure : (this.failingWith != null) ? this.failingWith : route(request);
			if (key != null) {
				this.idempotentResponses.put(key, new Stored(fingerprint, settled(response)));
			}
		}
		String target = request.getMethod() + " " + request.getUrl().encodedPath();
		Deque<Integer> gateway = this.gatewayAnswers.get(target);
		if (gateway != null && !gateway.isEmpty()) {
			return new MockResponse.Builder().code(gateway.poll())
				.setHeader("Content-Type", "text/html")
				.setHeader("Via", "1.1 gateway")
				.body("<html><body><h1>Gateway Timeout</h1></body></html>")
				.build();
		}
		Integer drops = this.dropNext.get(target);
		if (drops != null) {
			if (drops <= 1) {
				this.dropNext.remove(target);
			}
			else {
				this.dropNext.put(target, drops - 1);
			}
			return new MockResponse.Builder(response).onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
		}
		return response;
	}

	/**
	 * An answer as Persona stores it: status, headers and body, without transport faults.
	 */
	private static MockResponse settled(MockResponse response) {
		return new MockResponse.Builder().code(response.getCode())
			.headers(response.getHeaders())
			.body(response.getBody())
			.build();
	}

	/** Adds what Persona sends on every answer that lacks it. */
	private MockResponse withStandardHeaders(MockResponse response) {
		int remaining;
		long reset;
		synchronized (this) {
			long now = System.currentTimeMillis();
			if (now - this.rateWindow >= 60_000) {
				this.rateWindow = now;
				this.rateUsed = 0;
			}
			this.rateUsed++;
			// the headers only: the benchmark sends far more than 300 a minute
			remaining = Math.max(0, RATE_LIMIT - this.rateUsed);
			reset = Math.max(1, (this.rateWindow + 60_000 - now + 999) / 1000);
		}
		Headers headers = response.getHeaders();
		if (headers.get("Via") != null) {
			// a gateway's answer: none of Persona's headers
			return response;
		}
		MockResponse.Builder builder = new MockResponse.Builder(response);
		if (headers.get("Request-Id") == null) {
			builder.setHeader("Request-Id", "req_" + randomId());
		}
		if (headers.get("RateLimit-Limit") == null) {
			builder.setHeader("RateLimit-Limit", RATE_LIMIT);
		}
		if (headers.get("RateLimit-Remaining") == null) {
			builder.setHeader("RateLimit-Remaining", remaining);
		}
		if (headers.get("RateLimit-Reset") == null) {
			builder.setHeader("RateLimit-Reset", reset);
		}
		return builder.build();
	}

	private MockResponse route(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		if (request.getMethod().equals("GET") && path.equals("/api/v1/events")) {
			return listEvents(request.getUrl());
		}
		if (request.getMethod().equals("GET") && path.equals("/api/v1/inquiries")) {
			return list(request.getUrl());
		}
		if (request.getMethod().equals("POST") && path.equals("/api/v1/inquiries")) {
			return create(request);
		}
		Matcher resume = RESUME.matcher(path);
		if (request.getMethod().equals("POST") && resume.matches()) {
			if (request.getBodySize() > 0) {
				// the spec defines no request body for resume
				return error(400, "Bad Request", "Resume an Inquiry takes no request body");
			}
			return resume(resume.group(1), request.getUrl());
		}
		return error(404, "Not found", "No route for " + request.getMethod() + " " + path);
	}

	private MockResponse list(HttpUrl url) {
		String referenceId = url.queryParameter("filter[reference-id]");
		String template = (url.queryParameter("filter[inquiry-template-id]") != null)
				? url.queryParameter("filter[inquiry-template-id]") : url.queryParameter("filter[template-id]");
		String statuses = url.queryParameter("filter[status]");
		int size = (url.queryParameter("page[size]") != null) ? Integer.parseInt(url.queryParameter("page[size]")) : 10;
		String after = url.queryParameter("page[after]");
		List<FakeInquiry> matching = this.inquiries.stream()
			.filter((i) -> !this.hidden.contains(i.id))
			.filter((i) -> referenceId == null || referenceId.equals(i.referenceId))
			.filter((i) -> template == null || List.of(template.split(",")).contains(i.templateId))
			.filter((i) -> statuses == null || List.of(statuses.split(",")).contains(i.status))
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
		Set<String> fields = fields(url);
		ObjectNode body = json.createObjectNode();
		ArrayNode data = body.putArray("data");
		page.forEach((inquiry) -> data.add(resource(inquiry, fields)));
		ObjectNode links = body.putObject("links");
		links.putNull("prev");
		if (start + size < matching.size()) {
			String open = this.literalBracketsInLinks ? "[" : "%5B";
			String close = this.literalBracketsInLinks ? "]" : "%5D";
			links.put("next", "/api/v1/inquiries?page" + open + "after" + close + "=" + page.get(page.size() - 1).id
					+ "&page" + open + "size" + close + "=" + size);
		}
		else {
			links.putNull("next");
		}
		return ok(200, body);
	}

	/** The attributes {@code fields[inquiry]} asks for, or {@code null} for all. */
	private static Set<String> fields(HttpUrl url) {
		String fields = url.queryParameter("fields[inquiry]");
		if (fields == null) {
			return null;
		}
		Set<String> names = new java.util.HashSet<>();
		for (String name : fields.split(",")) {
			names.add(name.trim());
		}
		return names;
	}

	private void recordEvent(String name, FakeInquiry inquiry, Instant createdAt) {
		String eventId = "evt_" + randomId();
		byte[] body = PersonaWebhooks.event(name, eventId, resource(inquiry, null), createdAt);
		this.events
			.add(new FakeEvent(eventId, name, createdAt, inquiry.id, (ObjectNode) json.readTree(body).get("data")));
	}

	/**
	 * {@code GET /events} as the spec describes it ({@code paths./events.get}): newest
	 * first, {@code filter[name]}, {@code filter[object-id]} and {@code filter[id]} as
	 * comma separated lists, cursor pages with {@code page[after]} (older) and
	 * {@code page[before]} (newer), {@code page[size]} 1 to 100; anything else is
	 * refused.
	 */
	private MockResponse listEvents(HttpUrl url) {
		for (String name : url.queryParameterNames()) {
			if (!List.of("filter[name]", "filter[object-id]", "filter[id]", "page[size]", "page[after]", "page[before]")
				.contains(name)) {
				return error(400, "Bad request", "Unknown query parameter " + name);
			}
		}
		List<String> names = commaList(url.queryParameter("filter[name]"));
		List<String> objects = commaList(url.queryParameter("filter[object-id]"));
		List<String> ids = commaList(url.queryParameter("filter[id]"));
		int size;
		try {
			size = (url.queryParameter("page[size]") != null) ? Integer.parseInt(url.queryParameter("page[size]")) : 10;
		}
		catch (NumberFormatException ex) {
			return error(400, "Bad request", "page[size] must be a number");
		}
		if (size < 1 || size > 100) {
			return error(400, "Bad request", "page[size] must be between 1 and 100");
		}
		List<FakeEvent> matching = new ArrayList<>();
		for (int i = this.events.size() - 1; i >= 0; i--) {
			FakeEvent event = this.events.get(i);
			if ((names == null || names.contains(event.name()))
					&& (objects == null || objects.contains(event.objectId()))
					&& (ids == null || ids.contains(event.id()))) {
				matching.add(event);
			}
		}
		int start = 0;
		int end = matching.size();
		String after = url.queryParameter("page[after]");
		String before = url.queryParameter("page[before]");
		for (int i = 0; i < matching.size(); i++) {
			if (matching.get(i).id().equals(after)) {
				start = i + 1;
			}
			if (matching.get(i).id().equals(before)) {
				end = i;
			}
		}
		if (before != null && after == null) {
			start = Math.max(0, end - size);
		}
		List<FakeEvent> page = matching.subList(Math.min(start, end), Math.min(start + size, end));
		ObjectNode body = json.createObjectNode();
		body.putArray("data");
		page.forEach((event) -> body.withArray("data").add(event.resource().deepCopy()));
		ObjectNode links = body.putObject("links");
		if (start > 0 && !page.isEmpty()) {
			links.put("prev", "/api/v1/events?page%5Bbefore%5D=" + page.get(0).id() + "&page%5Bsize%5D=" + size);
		}
		else {
			links.putNull("prev");
		}
		if (start + size < end) {
			links.put("next",
					"/api/v1/events?page%5Bafter%5D=" + page.get(page.size() - 1).id() + "&page%5Bsize%5D=" + size);
		}
		else {
			links.putNull("next");
		}
		return ok(200, body);
	}

	private static List<String> commaList(String value) {
		return (value != null) ? Arrays.stream(value.split(",")).map(String::trim).toList() : null;
	}

	private MockResponse create(RecordedRequest request) {
		JsonNode body;
		try {
			body = json.readTree(request.getBody().utf8());
		}
		catch (RuntimeException ex) {
			return error(400, "Bad Request", "Body is not JSON");
		}
		JsonNode attributes = body.path("data").path("attributes");
		String template = attributes.hasNonNull("inquiry-template-id")
				? attributes.get("inquiry-template-id").asString() : attributes.path("template-id").asString(null);
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
		recordEvent("inquiry.created", inquiry, now.plusMillis(100));
		if (this.hiddenFromListings > 0) {
			this.hiddenFromListings--;
			this.hidden.add(inquiry.id);
		}
		ObjectNode document = json.createObjectNode();
		document.set("data", resource(inquiry, fields(request.getUrl())));
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

	private MockResponse resume(String inquiryId, HttpUrl url) {
		FakeInquiry inquiry = this.inquiries.stream().filter((i) -> i.id.equals(inquiryId)).findFirst().orElse(null);
		if (inquiry == null) {
			return error(404, "Record not found", "Could not find inquiry " + inquiryId);
		}
		if (inquiry.redactedAt != null) {
			// "This endpoint will error if the inquiry is redacted"
			// (paths./inquiries/{inquiry-id}/resume.post.description)
			return error(409, "Conflict", "Inquiry already redacted");
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
		document.set("data", resource(inquiry, fields(url)));
		document.putObject("meta")
			.put("session-token", "session-for-" + inquiry.id + "-" + this.sequence.incrementAndGet());
		return ok(200, document);
	}

	/**
	 * {@code DELETE /inquiries/{inquiry-id}}: redacts the inquiry, answers with it, and
	 * sends {@code inquiry.redacted} the way Persona does, later and apart from the
	 * answer.
	 */
	private MockResponse redactOverHttp(RecordedRequest request, String inquiryId) {
		Move move;
		try {
			move = redaction(inquiryId);
		}
		catch (SimulationRefused ex) {
			return error(ex.status(), (ex.status() == 404) ? "Record not found" : "Conflict", ex.getMessage());
		}
		ObjectNode document = json.createObjectNode();
		synchronized (this) {
			document.set("data", resource(move.inquiry(), fields(request.getUrl())));
		}
		CompletableFuture.runAsync(() -> deliver(move));
		return ok(200, document);
	}

	private MockResponse performSimulateActions(RecordedRequest request, String inquiryId) {
		List<Action> actions = new ArrayList<>();
		try {
			for (JsonNode item : json.readTree(request.getBody().utf8()).path("meta").path("simulate-actions")) {
				actions.add(Action.named(item.path("type").asString("")));
			}
		}
		catch (IllegalArgumentException ex) {
			return error(400, "Bad request", ex.getMessage());
		}
		if (actions.isEmpty()) {
			return error(400, "Bad request", "meta.simulate-actions must list at least one action");
		}
		FakeInquiry inquiry = null;
		for (Action action : actions) {
			try {
				inquiry = simulate(inquiryId, action).inquiry();
			}
			catch (SimulationRefused ex) {
				return error(ex.status(), (ex.status() == 404) ? "Record not found" : "Conflict", ex.getMessage());
			}
		}
		ObjectNode document = json.createObjectNode();
		synchronized (this) {
			document.set("data", resource(inquiry, fields(request.getUrl())));
		}
		return ok(200, document);
	}

	private synchronized Move move(String inquiryId, Action action) {
		FakeInquiry inquiry = this.inquiries.stream().filter((i) -> i.id.equals(inquiryId)).findFirst().orElse(null);
		if (inquiry == null) {
			throw new SimulationRefused(404, "Could not find inquiry " + inquiryId);
		}
		if (!action.from.contains(inquiry.status)) {
			throw new SimulationRefused(409, "Cannot " + action.path + " an inquiry that is " + inquiry.status
					+ " (only one that is " + String.join(", ", action.from) + ")");
		}
		Instant now = Instant.now();
		Instant at = now.isAfter(inquiry.updatedAt) ? now : inquiry.updatedAt.plusMillis(1);
		inquiry.status = action.status;
		inquiry.updatedAt = at;
		if (action == Action.EXPIRE) {
			inquiry.expiredAt = at;
		}
		else {
			inquiry.moments.putIfAbsent("started-at", at);
			inquiry.moments.put(action.moment, at);
		}
		return moved(inquiry, action.event, at);
	}

	private synchronized Move redaction(String inquiryId) {
		FakeInquiry inquiry = this.inquiries.stream().filter((i) -> i.id.equals(inquiryId)).findFirst().orElse(null);
		if (inquiry == null) {
			throw new SimulationRefused(404, "Could not find inquiry " + inquiryId);
		}
		if (inquiry.redactedAt != null) {
			// components.responses.conflict, one of its examples
			throw new SimulationRefused(409, "Inquiry already redacted");
		}
		Instant now = Instant.now();
		Instant at = now.isAfter(inquiry.updatedAt) ? now : inquiry.updatedAt.plusMillis(1);
		inquiry.redactedAt = at;
		inquiry.updatedAt = at;
		return moved(inquiry, "inquiry.redacted", at);
	}

	/**
	 * The webhook of a move. Its inquiry says {@code reference-id: null}, as in every
	 * {@code inquiry.*} example of the spec ({@code components.examples.*-webhook-body}):
	 * a receiver must find the inquiry by its id.
	 */
	private Move moved(FakeInquiry inquiry, String event, Instant at) {
		String eventId = "evt_" + randomId();
		// the event list keeps the reference id, so that a change whose webhook was lost
		// can still be placed from it
		byte[] listed = PersonaWebhooks.event(event, eventId, resource(inquiry, null), at.plusMillis(100));
		this.events.add(new FakeEvent(eventId, event, at.plusMillis(100), inquiry.id,
				(ObjectNode) json.readTree(listed).get("data")));
		ObjectNode payload = resource(inquiry, null);
		((ObjectNode) payload.get("attributes")).putNull("reference-id");
		return new Move(inquiry, event, eventId, PersonaWebhooks.event(event, eventId, payload, at.plusMillis(100)));
	}

	private WebhookDelivery deliver(Move move) {
		URI target = this.webhookTarget;
		if (target == null) {
			return null;
		}
		String signature = WebhookSignature.sign(this.webhookSecret, move.body(), Instant.now().getEpochSecond());
		HttpRequest request = HttpRequest.newBuilder(target)
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header("Persona-Signature", signature)
			.POST(HttpRequest.BodyPublishers.ofByteArray(move.body()))
			.build();
		WebhookDelivery delivery;
		try {
			HttpResponse<String> response = this.webhookClient.send(request, HttpResponse.BodyHandlers.ofString());
			delivery = new WebhookDelivery(move.eventId(), move.event(), move.inquiry().id, target,
					response.statusCode(), response.body());
		}
		catch (IOException ex) {
			delivery = new WebhookDelivery(move.eventId(), move.event(), move.inquiry().id, target, 0,
					"not delivered: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			delivery = new WebhookDelivery(move.eventId(), move.event(), move.inquiry().id, target, 0,
					"not delivered: interrupted");
		}
		this.deliveries.add(delivery);
		return delivery;
	}

	private ObjectNode resource(FakeInquiry inquiry, Set<String> fields) {
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
		attributes.putNull("expires-at");
		if (inquiry.redactedAt != null) {
			attributes.put("redacted-at", inquiry.redactedAt.toString());
			// the personal data goes (webhooks.inquiry.redacted)
			attributes.putObject("fields");
			attributes.putNull("note");
			attributes.putArray("tags");
		}
		else {
			attributes.putNull("redacted-at");
		}
		for (String moment : MOMENTS) {
			Instant at = inquiry.moments.get(moment);
			if (at != null) {
				attributes.put(moment, at.toString());
			}
			else {
				attributes.putNull(moment);
			}
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
		if (fields != null) {
			// sparse fieldsets limit the attributes; relationships stay
			attributes.retain(fields);
		}
		return resource;
	}

	private FakeInquiry find(String inquiryId) {
		return this.inquiries.stream()
			.filter((i) -> i.id.equals(inquiryId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No inquiry " + inquiryId));
	}

	/** Unique across runs, like Persona's: never an id an earlier run handed out. */
	private static String nextId() {
		return "inq_" + randomId();
	}

	private static String randomId() {
		StringBuilder id = new StringBuilder(24);
		for (int i = 0; i < 24; i++) {
			id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
		}
		return id.toString();
	}

	private static MockResponse ok(int code, JsonNode body) {
		return json(code, body);
	}

	private static MockResponse json(int code, JsonNode body) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json; charset=utf-8")
			.addHeader("Request-Id", "req_" + randomId())
			.body(json.writeValueAsString(body))
			.build();
	}

	private static ObjectNode errors(ObjectNode error) {
		ObjectNode body = json.createObjectNode();
		body.putArray("errors").add(error);
		return body;
	}

	/** An error answer in Persona's format. */
	public static MockResponse error(int code, String title, String details) {
		return json(code, errors(json.createObjectNode().put("title", title).put("details", details)));
	}

	/**
	 * The parameters of a request's body, as Persona compares them for an idempotency
	 * key.
	 */
	private static JsonNode parameters(RecordedRequest request) {
		String body = (request.getBody() != null) ? request.getBody().utf8() : "";
		if (body.isEmpty()) {
			return json.nullNode();
		}
		try {
			return json.readTree(body);
		}
		catch (RuntimeException ex) {
			return json.getNodeFactory().textNode(body);
		}
	}

	/**
	 * A lifecycle move, as Persona's sandbox simulate actions name them
	 * ({@code approve_inquiry}), with the statuses it can start from, the status it leads
	 * to and the webhook event it sends.
	 */
	public enum Action {

		START("start_inquiry", "pending", "inquiry.started", "started-at", "created"),

		COMPLETE("complete_inquiry", "completed", "inquiry.completed", "completed-at", "created", "pending"),

		FAIL("fail_inquiry", "failed", "inquiry.failed", "failed-at", "created", "pending"),

		EXPIRE("expire_inquiry", "expired", "inquiry.expired", "expired-at", "created", "pending"),

		MARK_FOR_REVIEW("mark_for_review_inquiry", "needs_review", "inquiry.marked-for-review", "marked-for-review-at",
				"created", "pending", "completed"),

		APPROVE("approve_inquiry", "approved", "inquiry.approved", "decisioned-at", "created", "pending", "completed",
				"needs_review"),

		DECLINE("decline_inquiry", "declined", "inquiry.declined", "decisioned-at", "created", "pending", "completed",
				"needs_review");

		/** Persona's name for the action, e.g. {@code mark_for_review_inquiry}. */
		public final String type;

		/** The short name, e.g. {@code mark-for-review}. */
		public final String path;

		public final String status;

		public final String event;

		final String moment;

		final List<String> from;

		Action(String type, String status, String event, String moment, String... from) {
			this.type = type;
			this.path = name().toLowerCase().replace('_', '-');
			this.status = status;
			this.event = event;
			this.moment = moment;
			this.from = List.of(from);
		}

		/**
		 * The action with this short name ({@code approve}) or Persona name
		 * ({@code approve_inquiry}).
		 */
		public static Action named(String name) {
			return Arrays.stream(values())
				.filter((action) -> action.path.equals(name) || action.type.equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown action '" + name + "'; one of "
						+ Arrays.stream(values()).map((action) -> action.path).toList()));
		}

	}

	/**
	 * What a simulated move did.
	 *
	 * @param inquiry the inquiry moved
	 * @param status its status after the move
	 * @param event the webhook event of the move
	 * @param webhook its delivery, or {@code null} when no webhook target is set
	 */
	public record Simulation(FakeInquiry inquiry, String status, String event, WebhookDelivery webhook) {
	}

	/**
	 * One webhook sent.
	 *
	 * @param eventId the event's {@code evt_} id
	 * @param event its name
	 * @param inquiryId the inquiry it is about
	 * @param target where it went
	 * @param status the HTTP status of the answer, 0 if none came
	 * @param response the answer's body, or why there was none
	 */
	public record WebhookDelivery(String eventId, String event, String inquiryId, URI target, int status,
			String response) {

		public boolean accepted() {
			return this.status >= 200 && this.status < 300;
		}

	}

	/**
	 * A move that is not possible: no such inquiry (404), or not from its status (409).
	 */
	public static final class SimulationRefused extends RuntimeException {

		private final int status;

		SimulationRefused(int status, String message) {
			super(message);
			this.status = status;
		}

		public int status() {
			return this.status;
		}

	}

	private record Move(FakeInquiry inquiry, String event, String eventId, byte[] body) {
	}

	private record Fingerprint(String target, JsonNode parameters) {
	}

	private record Stored(Fingerprint fingerprint, MockResponse response) {
	}

	/**
	 * One event of Persona's event list.
	 *
	 * @param id its {@code evt_} id
	 * @param name e.g. {@code inquiry.approved}
	 * @param createdAt when it happened
	 * @param objectId the inquiry it is about
	 * @param resource the event as {@code GET /events} lists it (the {@code data} of its
	 * webhook body)
	 */
	public record FakeEvent(String id, String name, Instant createdAt, String objectId, ObjectNode resource) {
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

		public volatile Instant redactedAt;

		final Map<String, Instant> moments = new ConcurrentHashMap<>();

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

		/**
		 * Sets when it reached its status, as the moment Persona stamps for it
		 * ({@code decisioned-at} for approved or declined, {@code failed-at},
		 * {@code completed-at}); and its {@code updated-at}.
		 */
		public FakeInquiry decidedAt(Instant at) {
			for (Action action : Action.values()) {
				if (action != Action.EXPIRE && action.status.equals(this.status)) {
					this.moments.put(action.moment, at);
				}
			}
			this.updatedAt = at;
			return this;
		}

		public FakeInquiry expiredAt(Instant at) {
			this.status = "expired";
			this.expiredAt = at;
			this.updatedAt = at;
			return this;
		}

	}

}
