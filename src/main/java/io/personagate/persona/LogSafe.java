package io.personagate.persona;

/**
 * Text that came from outside (Persona's error details, statuses and ids, a webhook's
 * fields), made safe to put in a log line: control characters and line or paragraph
 * separators become Java-style escapes (a backslash, {@code u} and four hex digits), so
 * no such text can start a line of its own.
 */
public final class LogSafe {

	private LogSafe() {
	}

	public static String of(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder safe = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
			if (unsafe && safe == null) {
				safe = new StringBuilder(text.length() + 16).append(text, 0, i);
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
		return (safe != null) ? safe.toString() : text;
	}

}
