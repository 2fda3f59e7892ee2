/**
 * GraphiQL for developers at {@code /graphiql}: a page of this service's own, with
 * GraphiQL and React served from WebJars, so it needs nothing but the service to work.
 */
package io.personagate.graphiql;
