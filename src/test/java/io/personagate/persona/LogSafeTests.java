package io.personagate.persona;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTests {

	@Test
	void lineBreaksAndControlCharactersBecomeEscapes() {
		assertThat(LogSafe.of("bad\r\n2026-01-01 INFO forged\u0000\u001b[31m\u2028end"))
			.isEqualTo("bad\\u000d\\u000a2026-01-01 INFO forged\\u0000\\u001b[31m\\u2028end")
			.doesNotContain("\n", "\r");
	}

	@Test
	void ordinaryTextIsLeftAsItIs() {
		String text = "Invalid request: inquiry-template-id is required (é, 日本)";

		assertThat(LogSafe.of(text)).isSameAs(text);
		assertThat(LogSafe.of(null)).isNull();
	}

	@Test
	void longTextIsCutSayingHowMuchWasLeftOut() {
		String text = "\uD83D\uDE00".repeat(400) + "\n" + "x".repeat(10_000);

		String safe = LogSafe.of(text);

		assertThat(safe).startsWith("\uD83D\uDE00".repeat(400) + "\\u000a" + "x".repeat(199))
			.endsWith("... (" + (text.length() - 1000) + " more characters)")
			.doesNotContain("\n")
			.hasSizeLessThan(1100);
		assertThat(LogSafe.of("a" + "\uD83D\uDE00".repeat(600))).as("never cut within a character")
			.startsWith("a" + "\uD83D\uDE00".repeat(499) + "... (");
	}

}
