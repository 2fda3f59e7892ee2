package io.personagate.support;

import io.personagate.store.GateMemory;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole service: the test profile, the real PostgreSQL of
 * {@link TestDatabase} emptied before each test.
 */
@ActiveProfiles("test")
public abstract class IntegrationTestSupport {

	protected static final String TEMPLATE = "itmpl_GateTest0000000000000001";

	protected static final String LEGACY_TEMPLATE = "tmpl_LegacyTest00000000000001";

	protected static final TestDatabase database = TestDatabase.get();

	@DynamicPropertySource
	static void databaseProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.url", database::r2dbcUrl);
		registry.add("spring.r2dbc.username", database::user);
		registry.add("spring.r2dbc.password", database::password);
		registry.add("spring.flyway.url", database::jdbcUrl);
		registry.add("spring.flyway.user", database::user);
		registry.add("spring.flyway.password", database::password);
	}

	public static TestDatabase database() {
		return database;
	}

	@Autowired
	private ObjectProvider<GateMemory> memory;

	@BeforeEach
	void clearDatabase() {
		database.clear();
		// the notification of the clear reaches this instance's memory a moment later;
		// a test must not start before
		this.memory.ifAvailable(GateMemory::clear);
	}

}
