/**
 * Who the user is: JWT validation for {@code /graphql} and the claim that becomes the
 * Reference ID.
 */
package io.personagate.security;
