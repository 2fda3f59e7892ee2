package io.personagate.persona;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach Persona's API.
 *
 * @param baseUrl API base URL
 * @param apiKey the API key (secret; never logged)
 * @param version value of the {@code Persona-Version} header
 * @param pageSize {@code page[size]} for listings
 * @param maxPages most pages one listing follows before giving up
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout time allowed for one whole response
 */
@Validated
@ConfigurationProperties("persona")
public record PersonaProperties(@DefaultValue("https://api.withpersona.com/api/v1") @NotNull URI baseUrl,
		@NotBlank(message = "must be set (persona.api-key, env PERSONA_API_KEY)") String apiKey,
		@DefaultValue("2025-12-08") @NotBlank String version, @DefaultValue("100") @Min(1) @Max(100) int pageSize,
		@DefaultValue("50") @Min(1) int maxPages, @DefaultValue("2s") @NotNull Duration connectTimeout,
		@DefaultValue("4s") @NotNull Duration responseTimeout) {

	@Override
	public String toString() {
		return "PersonaProperties[baseUrl=" + this.baseUrl + ", apiKey=***, version=" + this.version + "]";
	}

}
