package io.personagate.gate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.personagate.config.GateProperties;

import org.springframework.stereotype.Component;

/**
 * The session tokens this instance got from Persona by resuming a pending inquiry, kept
 * so that an app that calls {@code ensureInquiry} again gets the same token instead of a
 * new resume: each resume opens one more session, and Persona allows an inquiry 25. A
 * token is kept for the inquiry as it was when resumed (its id and last change), for no
 * longer than {@code gate.session-tokens.reuse-for} nor past a minute before its own
 * expiry ({@code exp}, when the token says), and only in memory: never logged, never
 * stored. The whole store is bounded by {@code gate.session-tokens.max-size}.
 */
@Component
public class SessionTokens {

	private static final Pattern EXPIRY = Pattern.compile("\"exp\"\\s*:\\s*(\\d{1,12})");

	private static final int MAX_TOKEN_LENGTH = 8192;

	private final Cache<List<String>, Kept> tokens;

	private final Duration reuseFor;

	private final Clock clock;

	public SessionTokens(GateProperties properties, Clock clock) {
		GateProperties.SessionTokens settings = properties.sessionTokens();
		this.reuseFor = settings.reuseFor();
		this.clock = clock;
		this.tokens = Caffeine.newBuilder()
			.maximumWeight(settings.maxSize().toBytes())
			.weigher((List<String> key,
					Kept kept) -> 2 * (kept.token().length() + key.stream().mapToInt(String::length).sum()) + 128)
			.expireAfter(new Expiry<List<String>, Kept>() {
				@Override
				public long expireAfterCreate(List<String> key, Kept kept, long currentTime) {
					return Math.max(0,
							Duration.between(SessionTokens.this.clock.instant(), kept.validUntil()).toNanos());
				}

				@Override
				public long expireAfterUpdate(List<String> key, Kept kept, long currentTime, long currentDuration) {
					return expireAfterCreate(key, kept, currentTime);
				}

				@Override
				public long expireAfterRead(List<String> key, Kept kept, long currentTime, long currentDuration) {
					return currentDuration;
				}
			})
			.build();
	}

	/** A token still valid for this inquiry as it stands, or {@code null}. */
	String get(String referenceId, String templateId, Inquiry inquiry) {
		Kept kept = this.tokens.getIfPresent(key(referenceId, templateId, inquiry));
		return (kept != null && kept.validUntil().isAfter(this.clock.instant())) ? kept.token() : null;
	}

	/** Keeps a token Persona just gave for this inquiry, as it now stands. */
	void keep(String referenceId, String templateId, Inquiry inquiry, String token) {
		if (this.reuseFor.isZero() || token == null || token.length() > MAX_TOKEN_LENGTH) {
			return;
		}
		Instant now = this.clock.instant();
		Instant validUntil = now.plus(this.reuseFor);
		Instant expires = expiry(token);
		if (expires != null && expires.minusSeconds(60).isBefore(validUntil)) {
			validUntil = expires.minusSeconds(60);
		}
		if (validUntil.isAfter(now)) {
			this.tokens.put(key(referenceId, templateId, inquiry), new Kept(token, validUntil));
		}
	}

	private static List<String> key(String referenceId, String templateId, Inquiry inquiry) {
		return List.of(referenceId, templateId, inquiry.id(), String.valueOf(inquiry.updatedAt()));
	}

	/**
	 * The {@code exp} of a JWT, read without checking it; {@code null} if there is none.
	 */
	private static Instant expiry(String token) {
		String[] parts = token.split("\\.");
		if (parts.length != 3) {
			return null;
		}
		try {
			String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
			Matcher exp = EXPIRY.matcher(payload);
			return exp.find() ? Instant.ofEpochSecond(Long.parseLong(exp.group(1))) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private record Kept(String token, Instant validUntil) {

		@Override
		public String toString() {
			return "Kept[token=***, validUntil=" + this.validUntil + "]";
		}

	}

}
