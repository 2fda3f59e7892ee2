package io.personagate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The benchmark's sign-in: an RS256 key pair made for one run and never stored but for
 * its public half, which the service is given with
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}. Writes files of
 * tokens, one a line, for wrk's script to send, each for another user.
 */
final class BenchTokens {

	static final Duration LIFETIME = Duration.ofHours(2);

	/**
	 * The audience of the tokens, which the service is given with
	 * {@code spring.security.oauth2.resourceserver.jwt.audiences}.
	 */
	static final String AUDIENCE = "persona-gate-bench";

	private final KeyPair keys;

	private final RSASSASigner signer;

	BenchTokens() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		this.signer = new RSASSASigner((RSAPrivateKey) this.keys.getPrivate());
	}

	/** Writes the public key as PEM, for {@code public-key-location=file:...}. */
	void writePublicKey(Path file) {
		String pem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(this.keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, pem, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String sign(String userId) {
		return sign(new JWTClaimsSet.Builder().subject(userId));
	}

	/** A token to read the service's metrics ({@code gate.actuator.scope}). */
	String monitor() {
		return sign(new JWTClaimsSet.Builder().subject("bench").claim("scope", "gate:monitor"));
	}

	private String sign(JWTClaimsSet.Builder builder) {
		Instant now = Instant.now();
		JWTClaimsSet claims = builder.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(LIFETIME)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/**
	 * Writes one token a line for the given users, in their order; signs on every core.
	 */
	void write(Path file, List<String> userIds) {
		String[] tokens = new String[userIds.size()];
		IntStream.range(0, tokens.length).parallel().forEach((i) -> tokens[i] = sign(userIds.get(i)));
		try {
			Files.createDirectories(file.getParent());
			try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
				for (String token : tokens) {
					out.write(token);
					out.write('\n');
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Users {@code [from, to)} of a prefix, in order. */
	static List<String> users(String prefix, long from, long to) {
		return LongStream.range(from, to).mapToObj((i) -> BenchPopulation.userId(prefix, i)).toList();
	}

	/**
	 * {@code count} different users drawn at random from {@code [0, population)} (all of
	 * them when there are no more), in random order, so that consecutive requests touch
	 * unrelated rows.
	 */
	static List<String> sample(String prefix, long population, int count, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<Long> chosen;
		if (count >= population) {
			chosen = new ArrayList<>(LongStream.range(0, population).boxed().toList());
		}
		else {
			Set<Long> distinct = new LinkedHashSet<>();
			while (distinct.size() < count) {
				distinct.add(random.nextLong(population));
			}
			chosen = new ArrayList<>(distinct);
		}
		for (int i = chosen.size() - 1; i > 0; i--) {
			Collections.swap(chosen, i, random.nextInt(i + 1));
		}
		return chosen.stream().map((i) -> BenchPopulation.userId(prefix, i)).toList();
	}

}
