package io.personagate.security;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may read what the service says about itself.
 *
 * @param scope the scope a token must carry (in its scope or scp claim) to read health
 * details and components, /actuator/prometheus and /actuator/info; the liveness and
 * readiness status need no token
 */
@Validated
@ConfigurationProperties("gate.actuator")
public record ActuatorProperties(@DefaultValue("gate:monitor") @NotBlank String scope) {

	/**
	 * The authority given to a token with the scope, named by
	 * {@code management.endpoint.health.roles} (application.yml) so that Spring Boot
	 * shows it health details.
	 */
	public static final String MONITOR_ROLE = "ROLE_GATE_MONITOR";

	/** The authority Spring Security makes of the scope. */
	public String authority() {
		return "SCOPE_" + this.scope;
	}

}
