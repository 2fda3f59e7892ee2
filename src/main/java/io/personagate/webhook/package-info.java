/**
 * Persona webhooks: signature check over the raw body, and applying inquiry events to the
 * cache.
 */
package io.personagate.webhook;
