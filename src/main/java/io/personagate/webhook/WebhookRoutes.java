package io.personagate.webhook;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts the webhook endpoint at {@code persona.webhook.path}.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookRoutes {

	@Bean
	RouterFunction<ServerResponse> webhookRoute(WebhookProperties properties, WebhookHandler handler) {
		return RouterFunctions.route(RequestPredicates.POST(properties.path()), handler::handle);
	}

}
