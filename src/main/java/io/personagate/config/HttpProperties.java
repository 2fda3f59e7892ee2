package io.personagate.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the HTTP server waits for what a client sends, beyond Spring Boot's own
 * {@code server.netty.*}.
 *
 * @param headerTimeout the longest a connection may take, from when it opens or its
 * previous answer was written, to send a request's line and headers; a slower one
 * (slowloris) is answered 408 and closed, and nothing of it runs
 */
@Validated
@ConfigurationProperties("gate.http")
public record HttpProperties(
		@DefaultValue("10s") @NotNull @DurationMin(millis = 1, message = "must be positive") Duration headerTimeout) {
}
