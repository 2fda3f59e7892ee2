package io.personagate.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.personagate.config.CorrelationIds;

import org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Which web origins may call {@code /graphql}, from Spring Boot's
 * {@code spring.graphql.cors.*} settings, applied by Spring Security before anything else
 * to the HTTP endpoint and to the WebSocket handshake alike. Browsers do not apply CORS
 * to WebSockets, so the handshake from an origin not listed is refused here; requests
 * without an {@code Origin}, or from the service's own origin (GraphiQL), are no CORS
 * requests and pass. Nothing is allowed unless listed. Where a listed origin's methods or
 * headers are not set, those {@code /graphql} needs are allowed ({@code GET} for the
 * handshake, {@code POST}; {@code Authorization}, {@code Content-Type}, {@code Accept},
 * {@code X-Request-Id}), and {@code X-Request-Id} is always exposed so an app can quote
 * it.
 */
public final class GraphQlCors {

	static final List<String> DEFAULT_METHODS = List.of("GET", "POST");

	static final List<String> DEFAULT_HEADERS = List.of("Authorization", "Content-Type", "Accept",
			CorrelationIds.HEADER);

	private GraphQlCors() {
	}

	public static CorsConfiguration configuration(GraphQlCorsProperties properties) {
		CorsConfiguration configured = properties.toCorsConfiguration();
		CorsConfiguration configuration = (configured != null) ? configured : new CorsConfiguration();
		if (configuration.getAllowedMethods() == null) {
			configuration.setAllowedMethods(DEFAULT_METHODS);
		}
		if (configuration.getAllowedHeaders() == null) {
			configuration.setAllowedHeaders(DEFAULT_HEADERS);
		}
		Set<String> exposed = new LinkedHashSet<>();
		if (configuration.getExposedHeaders() != null) {
			exposed.addAll(configuration.getExposedHeaders());
		}
		exposed.add(CorrelationIds.HEADER);
		configuration.setExposedHeaders(List.copyOf(exposed));
		return configuration;
	}

	/** The configuration for the GraphQL paths (HTTP and WebSocket) and {@code extra}. */
	static CorsConfigurationSource source(GraphQlProperties graphQl, GraphQlCorsProperties properties,
			String... extra) {
		CorsConfiguration configuration = configuration(properties);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration(graphQl.getHttp().getPath(), configuration);
		String webSocketPath = graphQl.getWebsocket().getPath();
		if (webSocketPath != null) {
			source.registerCorsConfiguration(webSocketPath, configuration);
		}
		for (String path : extra) {
			source.registerCorsConfiguration(path, configuration);
		}
		return source;
	}

}
