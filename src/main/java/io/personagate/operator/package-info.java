/**
 * The operator API: any user's gate, its history, a refresh from Persona and a granted
 * attempt, for support staff and other services holding the {@code gate:read} or
 * {@code gate:admin} scope.
 */
package io.personagate.operator;
