package io.personagate.persona;

/**
 * Text that came from outside (a request's arguments, a token's claims, Persona's error
 * details, statuses and ids, a webhook's fields), made safe to put in a log line: control
 * characters and line or paragraph separators become Java-style escapes (a backslash,
 * {@code u} and four hex digits), so that no such text can start a line of its own; and
 * text longer than {@value #MAX_LENGTH} characters is cut there, saying how much was left
 * out, so that no such text can flood the log. The one rule for every log argument that
 * comes from outside.
 */
public final class LogSafe {

	static final int MAX_LENGTH = 1000;

	private LogSafe() {
	}

	public static String of(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder safe = null;
		int end = Math.min(text.length(), MAX_LENGTH);
		if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
			if (unsafe && safe == null) {
				safe = new StringBuilder(end + 16).append(text, 0, i);
			}
			if (safe != null) {
				if (unsafe) {
					safe.append(String.format("\\u%04x", (int) c));
				}
				else {
					safe.append(c);
				}
			}
		}
		if (end == text.length()) {
			return (safe != null) ? safe.toString() : text;
		}
		String kept = (safe != null) ? safe.toString() : text.substring(0, end);
		return kept + "... (" + (text.length() - end) + " more characters)";
	}

}
