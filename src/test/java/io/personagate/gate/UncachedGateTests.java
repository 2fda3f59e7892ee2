package io.personagate.gate;

import java.time.Instant;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.graphql.test.autoconfigure.tester.AutoConfigureHttpGraphQlTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code gate.cache.enabled=false} (the benchmark's baseline) the gate follows
 * Persona's recipe to the letter: one listing per check, nothing kept.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "gate.cache.enabled=false")
@AutoConfigureHttpGraphQlTester
class UncachedGateTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void everyCheckListsAtPersonaAndNothingIsKept() {
		persona.reset();
		FakePersona.FakeInquiry approved = persona.seed("user-r", TEMPLATE, "approved", Instant.now());
		HttpGraphQlTester tester = this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-r")))
			.build();

		for (int i = 0; i < 3; i++) {
			tester.documentName("verificationGate")
				.variable("templateId", TEMPLATE)
				.execute()
				.path("verificationGate.decision")
				.entity(String.class)
				.isEqualTo("ALLOW")
				.path("verificationGate.inquiryId")
				.entity(String.class)
				.isEqualTo(approved.id);
		}

		assertThat(persona.listCalls()).isEqualTo(3);
		assertThat(database.count("select count(*) from persona_inquiry")).isZero();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

}
