/**
 * Development mode ({@code ./mvnw spring-boot:test-run}, main class
 * {@link io.personagate.DevGateApplication}): an embedded PostgreSQL and the Persona
 * emulator started with the settings ({@link io.personagate.dev.DevServices}), dev
 * sign-in and the {@code /dev} endpoints ({@link io.personagate.dev.DevConfiguration}).
 * Test code only; never packaged.
 */
package io.personagate.dev;
