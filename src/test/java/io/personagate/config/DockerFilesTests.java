package io.personagate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker files, read for the facts the images and compose files must keep (no Docker
 * engine is needed): what stays out of the build context, the probes, the JVM's memory, a
 * demo that starts without Maven, and webhooks configured from the env file.
 */
class DockerFilesTests {

	private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");

	@Test
	void theBuildContextLeavesOutBuildOutputHistoryDependenciesAndSecrets() throws IOException {
		List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));

		assertThat(ignored).contains("target/", ".git", "**/node_modules/", ".env");
	}

	@Test
	void bothImagesProbeReadinessAndSizeTheJvmFromTheContainer() throws IOException {
		String dockerfile = Files.readString(Path.of("Dockerfile"));
		List<String> stages = List.of(dockerfile.split("(?m)^FROM "));
		String dev = stages.stream().filter((stage) -> stage.contains(" AS dev")).findFirst().orElseThrow();
		String production = stages.get(stages.size() - 1);

		for (String stage : List.of(dev, production)) {
			assertThat(stage)
				.containsPattern("(?s)HEALTHCHECK .*CMD curl -fsS http://127.0.0.1:8080/actuator/health/readiness")
				.containsPattern("ENTRYPOINT \\[\"java\", \"-XX:MaxRAMPercentage=75.0\"");
		}
		assertThat(dev.substring(dev.indexOf("ENTRYPOINT"))).doesNotContain("mvnw").contains("DevGateApplication");
		assertThat(dev).contains("ENV SERVER_ADDRESS=0.0.0.0");
	}

	@Test
	@SuppressWarnings("unchecked")
	void composeRunsWebhooksWithTheSecretOfTheEnvFileAndProbesReadiness() throws IOException {
		String compose = Files.readString(Path.of("docker-compose.yml"));
		Map<String, Object> gate = (Map<String, Object>) ((Map<String, Object>) new Yaml()
			.<Map<String, Object>>load(compose)
			.get("services")).get("gate");
		Map<String, Object> environment = (Map<String, Object>) gate.get("environment");
		String example = Files.readString(Path.of(".env.example"));

		assertThat(String.valueOf(environment.get("PERSONA_WEBHOOK_SECRETS")))
			.startsWith("${PERSONA_WEBHOOK_SECRETS:?");
		assertThat((List<String>) ((Map<String, Object>) gate.get("healthcheck")).get("test"))
			.contains("http://127.0.0.1:8080/actuator/health/readiness");
		Matcher required = REQUIRED_VARIABLE.matcher(compose);
		int count = 0;
		while (required.find()) {
			assertThat(example).as(".env.example shows " + required.group(1))
				.containsPattern("(?m)^" + required.group(1) + "=");
			count++;
		}
		assertThat(count).isGreaterThanOrEqualTo(4);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theDemoIsPublishedOnThisMachineOnly() throws IOException {
		Map<String, Object> demo = (Map<String, Object>) ((Map<String, Object>) new Yaml()
			.<Map<String, Object>>load(Files.readString(Path.of("docker-compose.demo.yml")))
			.get("services")).get("gate-demo");

		assertThat((List<String>) demo.get("ports")).allMatch((port) -> port.startsWith("127.0.0.1:"));
	}

}
