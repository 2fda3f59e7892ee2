package io.personagate.support;

import java.net.URI;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

/**
 * A user's {@code verificationGateChanged} subscription over WebSocket, as the SPA opens
 * it.
 */
public final class GateSubscriptions {

	private static final String SUBSCRIPTION = """
			subscription($templateId: ID!) {
			  verificationGateChanged(templateId: $templateId) { decision reason inquiryId inquiryStatus checkedAt }
			}
			""";

	private GateSubscriptions() {
	}

	/** The gates pushed to the user of {@code token}, on the instance at {@code port}. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public static Flux<Map<String, Object>> of(int port, String token, String templateId) {
		WebSocketGraphQlClient client = WebSocketGraphQlClient
			.builder(URI.create("ws://127.0.0.1:" + port + "/graphql"), new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {
				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of("Authorization", "Bearer " + token));
				}
			})
			.build();
		return (Flux) client.document(SUBSCRIPTION)
			.variable("templateId", templateId)
			.retrieveSubscription("verificationGateChanged")
			.toEntity(Map.class);
	}

}
