package io.personagate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.MutableClock;
import io.personagate.support.MutableClockConfiguration;
import io.personagate.support.TestTokens;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each instance's memory of the cache, over real HTTP to {@code /graphql} against the
 * real PostgreSQL. The tests change rows behind the service's back (no notification), so
 * that an answer tells where it came from: the old one from memory, the new one from
 * PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHttpGraphQlTester
@Import(MutableClockConfiguration.class)
class GateMemoryTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	private static final String DECLINE_SILENTLY = """
			update persona_inquiry set status = 'declined', updated_at = updated_at + interval '1 second'
			 where reference_id = ?""";

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@Autowired
	private GateMemory memory;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private MutableClock clock;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
		this.clock.reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void cachedAnswerComesFromMemoryUntilTheInstanceHearsOfAChange() {
		persona.seed("user-m", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		// from Persona (and the decision recorded), then from PostgreSQL, which is
		// remembered
		readUntilRemembered("user-m", "ALLOW");
		double hitsBefore = memoryHits();

		assertThat(database.update(DECLINE_SILENTLY, "user-m")).isEqualTo(1);
		assertThat(decision("user-m")).as("answered from memory").isEqualTo("ALLOW");
		assertThat(memoryHits() - hitsBefore).isEqualTo(1);

		// another user's change leaves this user's memory alone
		database.update("select pg_notify('gate_changed', ?)", "{\"r\":\"user-other\",\"t\":\"" + TEMPLATE + "\"}");
		assertThat(decision("user-m")).isEqualTo("ALLOW");

		database.update("select pg_notify('gate_changed', ?)", "{\"r\":\"user-m\",\"t\":\"" + TEMPLATE + "\"}");
		Awaitility.await()
			.atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> decision("user-m").equals("DENY"));

		assertThat(persona.listCalls()).as("every answer but the first came from the cache").isEqualTo(1);
		assertThat(database.string("select decision from gate_decision where reference_id = ?", "user-m"))
			.isEqualTo("DENY");
		assertThat(database.count(
				"select count(*) from gate_audit where reference_id = ? and action = 'DECISION_CHANGED' and decision = 'DENY'",
				"user-m"))
			.isEqualTo(1);
	}

	@Test
	void aNotificationWithoutPayloadMakesEveryInstanceForgetEverything() {
		persona.seed("user-n1", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		persona.seed("user-n2", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		readUntilRemembered("user-n1", "ALLOW");
		readUntilRemembered("user-n2", "ALLOW");
		database.update(DECLINE_SILENTLY, "user-n1");
		database.update(DECLINE_SILENTLY, "user-n2");

		database.update("select pg_notify('gate_changed', '')");

		Awaitility.await()
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.memory.get("user-n1", TEMPLATE) == null && this.memory.get("user-n2", TEMPLATE) == null);
		assertThat(this.memory.size()).isZero();
		assertThat(decision("user-n1")).isEqualTo("DENY");
		assertThat(decision("user-n2")).isEqualTo("DENY");
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void memoryIsNotTrustedAcrossALostListenConnection() {
		persona.seed("user-l", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		readUntilRemembered("user-l", "ALLOW");

		// the change and its notification are lost with the LISTEN connection
		database.update("select pg_terminate_backend(pid) from pg_stat_activity"
				+ " where datname = current_database() and query ilike 'listen %'");
		database.update(DECLINE_SILENTLY, "user-l");

		AtomicReference<String> last = new AtomicReference<>();
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			last.set(decision("user-l"));
			return last.get().equals("DENY");
		});
		assertThat(persona.listCalls()).isEqualTo(1);

		// listening again, the instance remembers again
		readUntilRemembered("user-l", "DENY");
		double hitsBefore = memoryHits();
		assertThat(decision("user-l")).isEqualTo("DENY");
		assertThat(memoryHits() - hitsBefore).isEqualTo(1);
	}

	@Test
	void undecidedAnswersInMemoryStillExpireAfterTheTtl() {
		persona.seed("user-u", TEMPLATE, "pending", Instant.now().minusSeconds(60));
		readUntilRemembered("user-u", "RESUME");
		assertThat(persona.listCalls()).isEqualTo(1);

		// remembered, but the listing is now older than gate.cache.ttl (60 s)
		this.clock.advance(Duration.ofSeconds(61));

		assertThat(decision("user-u")).isEqualTo("RESUME");
		assertThat(persona.listCalls()).as("the old listing sent the gate to Persona again").isEqualTo(2);
	}

	/**
	 * Asks until this instance remembers the answer: the notification of the listing that
	 * the first answer wrote may arrive while a later read is under way, and then that
	 * read is not kept.
	 */
	private void readUntilRemembered(String user, String expected) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
			assertThat(decision(user)).isEqualTo(expected);
			return this.memory.get(user, TEMPLATE) != null;
		});
	}

	private String decision(String user) {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser(user)))
			.build()
			.documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.verify()
			.path("verificationGate.decision")
			.entity(String.class)
			.get();
	}

	private double memoryHits() {
		return this.meters.counter("gate.cache.memory.hits").count();
	}

}
