/**
 * Persona's REST API as this service uses it: the client, the JSON:API records it reads,
 * and the typed exceptions for each way a call can fail.
 */
package io.personagate.persona;
