package io.personagate.security;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Whether tokens can be checked with the identity provider's keys, as the
 * {@code tokenKeys} health component (part of readiness): whether its keys have been
 * fetched, from {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}, else from
 * the {@code jwks_uri} of the issuer's discovery document
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}). Without either the keys
 * are local ({@code public-key-location}) and always there. The reads share
 * {@link IdentityProviderFetches} with the token checks, so a failing read while keys
 * fetched before still check tokens (the identity provider down, or throttling with 429)
 * leaves it UP, and no caller's traffic can make it fail. One check serves every probe
 * for {@code gate.jwt.keys-check-interval}; a change either way is logged once, and the
 * first check runs as soon as the service has started.
 */
@Component("tokenKeys")
public class TokenKeys implements ReactiveHealthIndicator, ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(TokenKeys.class);

	private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final WebClient client;

	private final String jwkSetUri;

	private final String issuerUri;

	private final Mono<Health> check;

	private final IdentityProviderFetches fetches;

	private final AtomicReference<Status> last = new AtomicReference<>();

	public TokenKeys(Environment environment, WebClient.Builder webClient, TokenProperties properties,
			IdentityProviderFetches fetches) {
		this.client = webClient.clone().filter(fetches).build();
		this.fetches = fetches;
		this.jwkSetUri = environment.getProperty(JWT + "jwk-set-uri");
		this.issuerUri = environment.getProperty(JWT + "issuer-uri");
		Duration interval = properties.keysCheckInterval();
		this.check = Mono.defer(this::fetch)
			.timeout(TIMEOUT)
			.onErrorResume((ex) -> Mono.just(Health.down()
				.withDetail("source", source())
				.withDetail("error", (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName())
				.build()))
			.doOnNext(this::logChange)
			.cache((health) -> interval, (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	@Override
	public Mono<Health> health() {
		return this.check;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		this.check.subscribe();
	}

	private Mono<Health> fetch() {
		if (StringUtils.hasText(this.jwkSetUri)) {
			return keys(URI.create(this.jwkSetUri));
		}
		if (StringUtils.hasText(this.issuerUri)) {
			return discover(this.issuerUri).flatMap(this::keys);
		}
		return Mono.just(Health.up().withDetail("source", "local").build());
	}

	private Mono<Health> keys(URI uri) {
		return this.client.get().uri(uri).retrieve().bodyToMono(String.class).map((body) -> {
			try {
				int count = JWKSet.parse(body).getKeys().size();
				Health.Builder health = ((count > 0) ? Health.up()
						: Health.down().withDetail("error", "the key set is empty"))
					.withDetail("source", uri.toString())
					.withDetail("keys", count);
				String failing = this.fetches.failing();
				return ((failing != null) ? health.withDetail("lastFetch",
						"failed (" + failing + "): the keys fetched before still check tokens") : health)
					.build();
			}
			catch (ParseException ex) {
				throw new IllegalStateException(uri + " is no JSON Web Key Set: " + ex.getMessage(), ex);
			}
		});
	}

	/**
	 * The {@code jwks_uri} of the issuer's OpenID discovery document, or of its OAuth 2.0
	 * authorization server metadata (RFC 8414), as Spring Security looks them up.
	 */
	private Mono<URI> discover(String issuer) {
		URI base = URI.create(issuer);
		String path = (base.getPath() != null) ? base.getPath().replaceAll("/$", "") : "";
		URI openId = URI.create(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration");
		URI oauth = base.resolve("/.well-known/oauth-authorization-server" + path);
		return jwksUri(openId).onErrorResume((ex) -> jwksUri(oauth));
	}

	private Mono<URI> jwksUri(URI metadata) {
		return this.client.get().uri(metadata).retrieve().bodyToMono(String.class).map((body) -> {
			JsonNode jwksUri = json.readTree(body).path("jwks_uri");
			if (!jwksUri.isString()) {
				throw new IllegalStateException(metadata + " names no jwks_uri");
			}
			return URI.create(jwksUri.asString());
		});
	}

	private String source() {
		return StringUtils.hasText(this.jwkSetUri) ? this.jwkSetUri
				: StringUtils.hasText(this.issuerUri) ? this.issuerUri : "local";
	}

	private void logChange(Health health) {
		Status previous = this.last.getAndSet(health.getStatus());
		if (health.getStatus().equals(previous)) {
			return;
		}
		if (Status.UP.equals(health.getStatus())) {
			if (previous != null) {
				logger.info("The identity provider's token keys can be fetched again from {}", source());
			}
		}
		else {
			logger.warn(
					"The identity provider's token keys cannot be fetched from {} ({}): requests with a token "
							+ "answer 503 and the service is not ready until they can",
					source(), health.getDetails().get("error"));
		}
	}

}
