package io.personagate.webhook;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Persona webhook settings.
 *
 * @param path where Persona posts events
 * @param secrets webhook secrets; more than one while a secret is being rotated. Empty:
 * webhooks off
 * @param tolerance how far a signature's timestamp may be from now, either way
 * @param maxBodySize largest body accepted
 */
@Validated
@ConfigurationProperties("persona.webhook")
public record WebhookProperties(@DefaultValue("/webhooks/persona") @NotBlank String path,
		@DefaultValue List<String> secrets,
		@DefaultValue("5m") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration tolerance,
		@DefaultValue("1MB") @NotNull DataSize maxBodySize) {

	public WebhookProperties {
		secrets = secrets.stream().map(String::trim).filter((secret) -> !secret.isEmpty()).toList();
	}

	public boolean enabled() {
		return !this.secrets.isEmpty();
	}

	@Override
	public String toString() {
		return "WebhookProperties[path=" + this.path + ", secrets=" + this.secrets.size() + " configured, tolerance="
				+ this.tolerance + ", maxBodySize=" + this.maxBodySize + "]";
	}

}
