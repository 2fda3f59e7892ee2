/**
 * Persona's inquiry events, pushed or pulled: webhooks (signature check over the raw
 * body), reconciliation from Persona's event list, and the one path that applies an event
 * to the cache for both.
 */
package io.personagate.webhook;
