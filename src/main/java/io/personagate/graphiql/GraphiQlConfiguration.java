package io.personagate.graphiql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.personagate.config.GateProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * Serves the GraphiQL page at {@code /graphiql}. Spring Boot's own GraphiQL page loads
 * its scripts from a public CDN and stays blank without internet access; this one loads
 * only from this service. Its tabs' variables name the first gated template.
 */
@Configuration(proxyBeanMethods = false)
public class GraphiQlConfiguration {

	/**
	 * Lets the page load and call nothing but this service. React and GraphiQL set inline
	 * styles, and GraphiQL's fonts are data URLs inside its stylesheet.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
			+ "frame-ancestors 'none'";

	@Bean
	RouterFunction<ServerResponse> graphiQlPage(@Value("classpath:graphiql/index.html") Resource page,
			GateProperties gate) throws IOException {
		String html = page.getContentAsString(StandardCharsets.UTF_8);
		if (!gate.templates().isEmpty()) {
			// the default variables of its tabs
			html = html.replace("data-template-id=\"\"",
					"data-template-id=\"" + HtmlUtils.htmlEscape(gate.templates().get(0).id()) + "\"");
		}
		String body = html;
		return RouterFunctions.route(GET("/graphiql"),
				(request) -> ServerResponse.ok()
					.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
					.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
					.header("Referrer-Policy", "no-referrer")
					.bodyValue(body));
	}

}
