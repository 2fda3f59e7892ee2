package io.personagate.dev;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Development sign-in: a key pair made at start-up, never stored, signs a token for any
 * user id, and the service trusts that key (and only it) while in development mode.
 */
final class DevTokens {

	static final String ISSUER = "persona-gate-dev";

	static final Duration LIFETIME = Duration.ofHours(12);

	private final KeyPair keys;

	private final String userIdClaim;

	private final List<String> audiences;

	private final Clock clock;

	DevTokens(String userIdClaim, List<String> audiences, Clock clock) {
		this.userIdClaim = userIdClaim;
		this.audiences = List.copyOf(audiences);
		this.clock = clock;
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A token for this user: their id in the claim the gate reads the Reference ID from,
	 * and in {@code sub}.
	 */
	Token issue(String userId) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(LIFETIME);
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(this.audiences)
			.subject(userId)
			.claim(this.userIdClaim, userId)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		try {
			jwt.sign(new RSASSASigner(this.keys.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return new Token(jwt.serialize(), userId, expiresAt);
	}

	/**
	 * Checks tokens against this key pair, their issuer, their audience, their times and
	 * what the service adds ({@code more}), as production's decoder does.
	 */
	ReactiveJwtDecoder decoder(List<OAuth2TokenValidator<Jwt>> more) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey((RSAPublicKey) this.keys.getPublic())
			.build();
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(more);
		validators.add(new JwtIssuerValidator(ISSUER));
		validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				(aud) -> aud != null && !Collections.disjoint(aud, this.audiences)));
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(validators));
		return decoder;
	}

	/**
	 * A token issued.
	 *
	 * @param token the JWT, to send as {@code Authorization: Bearer <token>}
	 * @param userId the user it signs in
	 * @param expiresAt when it stops being accepted
	 */
	record Token(String token, String userId, Instant expiresAt) {
	}

}
