/**
 * The PostgreSQL side: the cache of inquiries and checks, and the claim that serialises
 * get-or-create across instances.
 */
package io.personagate.store;
