package io.personagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An identity provider on a real HTTP server: its OpenID discovery document at
 * {@code <issuer>/.well-known/openid-configuration} and its keys (the public half of the
 * key {@link TestTokens} signs with) at {@code <issuer>/keys}. It can be made to answer
 * 503 to everything, as one that is down behind its load balancer does, or 429, as one
 * that throttles its callers does.
 */
public final class FakeIdentityProvider implements AutoCloseable {

	private static final String REALM = "/realms/gate";

	private final MockWebServer server = new MockWebServer();

	private final String keys = new JWKSet(new RSAKey.Builder(publicKey()).build()).toString();

	private final AtomicLong keyRequests = new AtomicLong();

	private volatile boolean unavailable;

	private volatile boolean throttling;

	private final AtomicLong throttled = new AtomicLong();

	public FakeIdentityProvider() {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request.getUrl().encodedPath());
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The issuer, as {@code iss} in its tokens and {@code issuer-uri}. */
	public String issuer() {
		return "http://127.0.0.1:" + this.server.getPort() + REALM;
	}

	public String jwkSetUri() {
		return issuer() + "/keys";
	}

	/** Makes every answer 503 ({@code true}) or normal again. */
	public void unavailable(boolean unavailable) {
		this.unavailable = unavailable;
	}

	/** Makes every answer 429 ({@code true}) or normal again. */
	public void throttling(boolean throttling) {
		this.throttling = throttling;
	}

	/** Requests answered 429. */
	public long throttled() {
		return this.throttled.get();
	}

	/** Requests for the keys, however they were answered. */
	public long keyRequests() {
		return this.keyRequests.get();
	}

	private MockResponse answer(String path) {
		if (path.equals(REALM + "/keys")) {
			this.keyRequests.incrementAndGet();
		}
		if (this.throttling) {
			this.throttled.incrementAndGet();
			return new MockResponse.Builder().code(429).addHeader("Retry-After", "1").body("slow down").build();
		}
		if (this.unavailable) {
			return new MockResponse.Builder().code(503).body("down").build();
		}
		if (path.equals(REALM + "/.well-known/openid-configuration")) {
			return json("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwkSetUri()
					+ "\",\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
		}
		if (path.equals(REALM + "/keys")) {
			return json(this.keys);
		}
		return new MockResponse.Builder().code(404).build();
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static RSAPublicKey publicKey() {
		try (InputStream in = FakeIdentityProvider.class.getResourceAsStream("/jwt/test-signing-key.pub.pem")) {
			String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
				.replaceAll("\\s", "");
			return (RSAPublicKey) KeyFactory.getInstance("RSA")
				.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.close();
	}

}
