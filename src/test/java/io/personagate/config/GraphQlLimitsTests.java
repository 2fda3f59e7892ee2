package io.personagate.config;

import io.personagate.support.FakePersona;
import io.personagate.support.IntegrationTestSupport;
import io.personagate.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The limits of {@code gate.graphql} at their defaults, over real HTTP to {@code /graphql} with a valid
 * JWT: an operation too deep or too complex is refused before anything reaches Persona, while
 * GraphiQL's introspection goes through.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureHttpGraphQlTester
class GraphQlLimitsTests extends IntegrationTestSupport {

	private static final FakePersona persona = new FakePersona();

	@Autowired
	private HttpGraphQlTester graphQlTester;

	@DynamicPropertySource
	static void personaProperties(DynamicPropertyRegistry registry) {
		registry.add("persona.base-url", persona::baseUrl);
	}

	@BeforeEach
	void reset() {
		persona.reset();
	}

	@AfterAll
	static void stop() {
		persona.close();
	}

	@Test
	void tooDeepOperationIsRefusedBeforeAnyFieldRuns() {
		user().documentName("tooDeep")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_DEEP");
				assertThat(error.getMessage())
					.isEqualTo("Operation too deep: its fields nest 16 levels and this service allows at most 15. "
							+ "Nest fewer fields.");
			}))
			.path("verificationGate")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void tooComplexOperationIsRefusedBeforeAnyFieldRuns() {
		user().documentName("tooComplex")
			.variable("templateId", TEMPLATE)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getErrorType().toString()).isEqualTo("QUERY_TOO_COMPLEX");
				assertThat(error.getMessage()).startsWith("Operation too complex: it selects 203 fields")
					.contains("this service allows at most 200");
			}))
			.path("gate1")
			.pathDoesNotExist();

		assertThat(persona.requests()).isEmpty();
		assertThat(database.count("select count(*) from gate_check")).isZero();
	}

	@Test
	void graphiqlIntrospectionIsWithinTheLimits() {
		user().documentName("graphiqlIntrospection")
			.execute()
			.errors()
			.verify()
			.path("__schema.queryType.name")
			.entity(String.class)
			.isEqualTo("Query")
			.path("__schema.types[*].name")
			.entityList(String.class)
			.contains("VerificationGate", "EnsureInquiryPayload", "GateDecision");
	}

	private HttpGraphQlTester user() {
		return this.graphQlTester.mutate()
			.headers((headers) -> headers.setBearerAuth(TestTokens.forUser("user-limits")))
			.build();
	}

}
