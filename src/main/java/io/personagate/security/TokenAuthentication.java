package io.personagate.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.nimbusds.jose.KeySourceException;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * Turns a bearer token into a user, for HTTP and WebSocket alike: Spring Security's JWT
 * authentication with two differences. A token that cannot be checked because the
 * identity provider's keys cannot be fetched fails as
 * {@link TokenKeysUnavailableException} (answered 503), not as an error of the server
 * (500) for every request; and a token with the monitoring scope
 * ({@code gate.actuator.scope}) also gets the role under which Spring Boot shows health
 * details.
 */
@Component
public class TokenAuthentication implements ReactiveAuthenticationManager {

	private final JwtReactiveAuthenticationManager delegate;

	public TokenAuthentication(ReactiveJwtDecoder decoder, ObjectProvider<ReactiveJwtAuthenticationConverter> converter,
			ActuatorProperties actuator) {
		ReactiveJwtAuthenticationConverter base = converter.getIfAvailable(ReactiveJwtAuthenticationConverter::new);
		this.delegate = new JwtReactiveAuthenticationManager(decoder);
		this.delegate.setJwtAuthenticationConverter(
				(jwt) -> base.convert(jwt).map((token) -> withMonitorRole(jwt, token, actuator.authority())));
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		return this.delegate.authenticate(authentication)
			.onErrorMap(TokenAuthentication::keysUnavailable, TokenKeysUnavailableException::new);
	}

	/**
	 * Whether the token could not be checked for want of keys: the issuer's discovery
	 * document could not be read ({@code issuer-uri}), the key set could not be fetched
	 * ({@code jwk-set-uri}), or fetching failed otherwise; a token that is merely bad
	 * fails as {@code InvalidBearerTokenException} instead.
	 */
	private static boolean keysUnavailable(Throwable ex) {
		return ex instanceof JwtDecoderInitializationException
				|| (ex instanceof IllegalStateException
						&& (ex.getCause() instanceof KeySourceException || ex.getCause() instanceof WebClientException))
				|| (ex instanceof AuthenticationServiceException && !(ex instanceof TokenKeysUnavailableException));
	}

	private static AbstractAuthenticationToken withMonitorRole(Jwt jwt, AbstractAuthenticationToken token,
			String monitorAuthority) {
		Collection<GrantedAuthority> authorities = token.getAuthorities();
		if (authorities.stream().noneMatch((authority) -> monitorAuthority.equals(authority.getAuthority()))) {
			return token;
		}
		List<GrantedAuthority> withRole = new ArrayList<>(authorities);
		withRole.add(new SimpleGrantedAuthority(ActuatorProperties.MONITOR_ROLE));
		return new JwtAuthenticationToken(jwt, withRole, token.getName());
	}

}
