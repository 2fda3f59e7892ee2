/**
 * Configuration properties and wiring shared by the features.
 */
package io.personagate.config;
