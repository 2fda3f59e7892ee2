package io.personagate.config;

import graphql.introspection.Introspection;
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
 * {@code gate.graphql.introspection=false}, over real HTTP to {@code /graphql} with a
 * valid JWT: the schema is no longer described, the gate still answers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "gate.graphql.introspection=false")
@AutoConfigureHttpGraphQlTester
class GraphQlIntrospectionOffTests extends IntegrationTestSupport {

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
		// Spring Boot turns introspection off for the whole JVM and never back on; the
		// other test
		// classes run in this JVM with introspection on.
		Introspection.enabledJvmWide(true);
	}

	@Test
	void schemaIsNotDescribed() {
		user().documentName("schemaTypes")
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("IntrospectionDisabled");
				assertThat(error.getMessage()).isEqualTo("Introspection has been disabled for this request");
			}))
			.path("__schema")
			.pathDoesNotExist();
	}

	@Test
	void gateStillAnswers() {
		user().documentName("verificationGate")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.verify()
			.path("verificationGate.decision")
			.entity(String.class)
			.isEqualTo("START");

		assertThat(persona.listCalls()).isEqualTo(1);
	}

	private HttpGraphQlTester user() {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-no-introspection")))
			.build();
	}

}
