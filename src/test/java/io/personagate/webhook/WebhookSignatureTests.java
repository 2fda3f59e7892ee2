package io.personagate.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.personagate.webhook.WebhookSignature.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	private static final byte[] BODY = "{\"data\":{\"id\":\"evt_1\"}}".getBytes(StandardCharsets.UTF_8);

	private final WebhookSignature verifier = new WebhookSignature(List.of("secret-current"), Duration.ofMinutes(5));

	@Test
	void validSignatureIsAccepted() {
		String header = WebhookSignature.sign("secret-current", BODY, NOW.getEpochSecond());

		assertThat(this.verifier.verify(header, BODY, NOW)).isEqualTo(Result.VALID);
	}

	@Test
	void knownVectorMatches() {
		// HMAC-SHA256("k", "1.b") computed independently: printf '1.b' | openssl dgst
		// -sha256 -hmac k
		assertThat(WebhookSignature.sign("k", "b".getBytes(StandardCharsets.UTF_8), 1))
			.isEqualTo("t=1,v1=2946e37a45bb02a0bf1bf1a7d9219543801fedd301f9f485aebd72c928639bea");
	}

	@Test
	void duringRotationEitherPairMayMatch() {
		String old = WebhookSignature.sign("secret-old", BODY, NOW.getEpochSecond());
		String current = WebhookSignature.sign("secret-current", BODY, NOW.getEpochSecond());

		assertThat(this.verifier.verify(old + " " + current, BODY, NOW)).isEqualTo(Result.VALID);
		assertThat(new WebhookSignature(List.of("secret-old", "secret-new"), Duration.ofMinutes(5))
			.verify(WebhookSignature.sign("secret-new", BODY, NOW.getEpochSecond()), BODY, NOW))
			.isEqualTo(Result.VALID);
	}

	@Test
	void wrongSecretIsRejected() {
		String header = WebhookSignature.sign("secret-other", BODY, NOW.getEpochSecond());

		assertThat(this.verifier.verify(header, BODY, NOW)).isEqualTo(Result.MISMATCH);
	}

	@Test
	void tamperedBodyIsRejected() {
		String header = WebhookSignature.sign("secret-current", BODY, NOW.getEpochSecond());
		byte[] tampered = "{\"data\":{\"id\":\"evt_2\"}}".getBytes(StandardCharsets.UTF_8);

		assertThat(this.verifier.verify(header, tampered, NOW)).isEqualTo(Result.MISMATCH);
	}

	@Test
	void staleAndFutureTimestampsAreRejected() {
		String stale = WebhookSignature.sign("secret-current", BODY, NOW.minusSeconds(301).getEpochSecond());
		String future = WebhookSignature.sign("secret-current", BODY, NOW.plusSeconds(301).getEpochSecond());
		String edge = WebhookSignature.sign("secret-current", BODY, NOW.minusSeconds(299).getEpochSecond());

		assertThat(this.verifier.verify(stale, BODY, NOW)).isEqualTo(Result.STALE);
		assertThat(this.verifier.verify(future, BODY, NOW)).isEqualTo(Result.STALE);
		assertThat(this.verifier.verify(edge, BODY, NOW)).isEqualTo(Result.VALID);
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "t=abc,v1=00", "t=1", "v1=00ff", "t=1,v1=zz", "t=1;v1=00" })
	void malformedHeadersAreRejected(String header) {
		assertThat(this.verifier.verify(header, BODY, NOW)).isEqualTo(Result.MALFORMED);
	}

	@Test
	void missingHeaderIsRejected() {
		assertThat(this.verifier.verify(null, BODY, NOW)).isEqualTo(Result.MISSING);
		assertThat(this.verifier.verify(" ", BODY, NOW)).isEqualTo(Result.MISSING);
	}

	@ParameterizedTest
	@ValueSource(longs = { Long.MAX_VALUE, Long.MIN_VALUE, -1, 0 })
	void absurdTimestampsAreStaleAndCostNothing(long timestamp) {
		String header = "t=" + timestamp + ",v1=" + "ab".repeat(32);

		assertThat(this.verifier.verify(header, BODY, NOW)).isEqualTo(Result.STALE);
		assertThat(this.verifier.computed()).isZero();
	}

	@Test
	void moreThanFourPairsAreMalformedAndCostNothing() {
		String pair = "t=" + NOW.getEpochSecond() + ",v1=" + "ab".repeat(32);
		String four = String.join(" ", pair, pair, pair, pair);

		assertThat(this.verifier.verify(String.join(" ", four, pair), BODY, NOW)).isEqualTo(Result.MALFORMED);
		assertThat(this.verifier.verify((pair + " ").repeat(420), BODY, NOW)).isEqualTo(Result.MALFORMED);
		assertThat(this.verifier.computed()).isZero();
		assertThat(this.verifier.verify(four, BODY, NOW)).isEqualTo(Result.MISMATCH);
	}

	@Test
	void anUnsignedRequestCostsOneHmacPerConfiguredSecret() {
		WebhookSignature rotating = new WebhookSignature(List.of("secret-old", "secret-new"), Duration.ofMinutes(5));
		String pair = "t=" + NOW.getEpochSecond() + ",v1=" + "ab".repeat(32);

		assertThat(rotating.verify(String.join(" ", pair, pair, pair, pair), BODY, NOW)).isEqualTo(Result.MISMATCH);
		assertThat(rotating.computed()).isEqualTo(2);
	}

	@Test
	void pairsStampedWithDifferentTimesAreMalformed() {
		String first = WebhookSignature.sign("secret-current", BODY, NOW.getEpochSecond());
		String second = WebhookSignature.sign("secret-current", BODY, NOW.getEpochSecond() - 1);

		assertThat(this.verifier.verify(first + " " + second, BODY, NOW)).isEqualTo(Result.MALFORMED);
		assertThat(this.verifier.computed()).isZero();
	}

}
