package io.personagate.gate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.personagate.config.GateProperties;
import io.personagate.config.InvalidSettingsException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Templates' policies as the settings resolve them, and the satisfied-by settings refused
 * at start.
 */
class GatedTemplatesTests {

	@Test
	void byDefaultNoCooldownNoAgingAndNoOtherTemplate() {
		TemplatePolicy policy = templates(Map.of("gate.templates[0].id", "itmpl_A")).require("itmpl_A").policy();

		assertThat(policy.retryAfterFailed()).isNull();
		assertThat(policy.retryAfterDeclined()).isNull();
		assertThat(policy.approvalValidFor()).isNull();
		assertThat(policy.satisfiedBy()).isEmpty();
		assertThat(policy).isEqualTo(TemplatePolicy.DEFAULT);
	}

	@Test
	void aTemplateOverridesTheDefaultsRules() {
		GatedTemplates templates = templates(Map.of("gate.defaults.retry-after-failed", "1d",
				"gate.defaults.approval-valid-for", "365d", "gate.templates[0].id", "itmpl_Basic",
				"gate.templates[0].satisfied-by[0]", "itmpl_Enhanced", "gate.templates[1].id", "itmpl_Enhanced",
				"gate.templates[1].retry-after-failed", "2h", "gate.templates[1].retry-after-declined", "30d"));

		TemplatePolicy basic = templates.require("itmpl_Basic").policy();
		TemplatePolicy enhanced = templates.require("itmpl_Enhanced").policy();
		assertThat(basic.retryAfterFailed()).isEqualTo(Duration.ofDays(1));
		assertThat(basic.retryAfterDeclined()).isNull();
		assertThat(basic.approvalValidFor()).isEqualTo(Duration.ofDays(365));
		assertThat(basic.satisfiedBy()).containsExactly("itmpl_Enhanced");
		assertThat(enhanced.retryAfterFailed()).isEqualTo(Duration.ofHours(2));
		assertThat(enhanced.retryAfterDeclined()).isEqualTo(Duration.ofDays(30));
		assertThat(enhanced.approvalValidFor()).isEqualTo(Duration.ofDays(365));
		assertThat(enhanced.satisfiedBy()).isEmpty();
	}

	@Test
	void aCycleOfSatisfiedByIsRefused() {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> templates(Map.of("gate.templates[0].id", "itmpl_A", "gate.templates[0].satisfied-by[0]",
					"itmpl_B", "gate.templates[1].id", "itmpl_B", "gate.templates[1].satisfied-by[0]", "itmpl_C",
					"gate.templates[2].id", "itmpl_C", "gate.templates[2].satisfied-by[0]", "itmpl_A")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("gate.templates[0].satisfied-by[0]",
					"gate.templates[1].satisfied-by[0]", "gate.templates[2].satisfied-by[0]"))
			.withMessageContaining(
					"makes a cycle: itmpl_A is satisfied by itmpl_B is satisfied by itmpl_C is satisfied by itmpl_A");
	}

	@Test
	void aTemplateSatisfiedByItselfIsRefused() {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> templates(
					Map.of("gate.templates[0].id", "itmpl_A", "gate.templates[0].satisfied-by[0]", "itmpl_A")))
			.withMessageContaining("gate.templates[0].satisfied-by[0]")
			.withMessageContaining("makes a cycle: itmpl_A is satisfied by itmpl_A");
	}

	@Test
	void satisfiedByATemplateThatIsNotGatedIsRefused() {
		assertThatExceptionOfType(InvalidSettingsException.class)
			.isThrownBy(() -> templates(
					Map.of("gate.templates[0].id", "itmpl_A", "gate.templates[0].satisfied-by[0]", "itmpl_Nope")))
			.satisfies((ex) -> assertThat(ex.properties()).containsExactly("gate.templates[0].satisfied-by[0]"))
			.withMessageContaining("names 'itmpl_Nope', which is not a gated template");
	}

	@Test
	void aChainWithoutACycleIsAccepted() {
		GatedTemplates templates = templates(
				Map.of("gate.templates[0].id", "itmpl_A", "gate.templates[0].satisfied-by[0]", "itmpl_B",
						"gate.templates[0].satisfied-by[1]", "itmpl_C", "gate.templates[1].id", "itmpl_B",
						"gate.templates[1].satisfied-by[0]", "itmpl_C", "gate.templates[2].id", "itmpl_C"));

		assertThat(templates.require("itmpl_A").policy().satisfiedBy()).isEqualTo(List.of("itmpl_B", "itmpl_C"));
	}

	private static GatedTemplates templates(Map<String, String> settings) {
		GateProperties properties = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("gate",
				GateProperties.class);
		return new GatedTemplates(properties);
	}

}
