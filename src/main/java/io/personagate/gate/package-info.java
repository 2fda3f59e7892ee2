/**
 * The gate: the pure decision over a user's inquiries
 * ({@link io.personagate.gate.GatePolicy}), the service that feeds it from the cache and
 * Persona, and the GraphQL controller that serves it.
 */
package io.personagate.gate;
