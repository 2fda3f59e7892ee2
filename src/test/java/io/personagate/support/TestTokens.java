package io.personagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs JWTs with the test key pair in {@code src/test/resources/jwt} (the service trusts
 * its public half in tests through
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}).
 */
public final class TestTokens {

	/**
	 * The audience the service expects in tests
	 * ({@code spring.security.oauth2.resourceserver.jwt.audiences}), given to every token
	 * whose claims do not name another.
	 */
	public static final String AUDIENCE = "persona-gate-test";

	private static final RSAPrivateKey key = loadKey();

	private TestTokens() {
	}

	public static String forUser(String subject) {
		return sign(Map.of("sub", subject), Instant.now().plusSeconds(600));
	}

	/**
	 * A token as an authorization server issues to a person or service with scopes
	 * ({@code scope}, space separated, as client-credentials tokens carry them).
	 */
	public static String withScopes(String subject, String... scopes) {
		return sign(Map.of("sub", subject, "scope", String.join(" ", scopes)), Instant.now().plusSeconds(600));
	}

	/**
	 * A token for the service to monitor it ({@code gate.actuator.scope} at its default).
	 */
	public static String monitor() {
		return withScopes("monitoring", "gate:monitor");
	}

	/**
	 * A token with these claims and {@link #AUDIENCE} unless they name an {@code aud}; a
	 * {@code null} {@code expiresAt} leaves out {@code exp}.
	 */
	public static String sign(Map<String, Object> claims, Instant expiresAt) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issueTime(new Date())
			.expirationTime((expiresAt != null) ? Date.from(expiresAt) : null)
			.audience(AUDIENCE);
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), builder.build());
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	private static RSAPrivateKey loadKey() {
		try (InputStream in = TestTokens.class.getResourceAsStream("/jwt/test-signing-key.pem")) {
			String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
				.replaceAll("\\s", "");
			return (RSAPrivateKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
