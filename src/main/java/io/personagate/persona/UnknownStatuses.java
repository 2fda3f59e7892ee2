package io.personagate.persona;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each inquiry status Persona sends that this service does not know, once per
 * inquiry and status on this instance, however often the gate is decided on it. Keeps at
 * most {@link #MAX_KEPT} pairs: past that it forgets them all and may log a pair once
 * more.
 */
final class UnknownStatuses {

	static final int MAX_KEPT = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(PersonaClient.class);

	private final Map<String, Boolean> logged = new ConcurrentHashMap<>();

	void seen(PersonaInquiry inquiry) {
		if (inquiry.status() != InquiryStatus.UNKNOWN) {
			return;
		}
		String key = inquiry.id() + "\u0000" + inquiry.rawStatus();
		if (this.logged.size() >= MAX_KEPT) {
			this.logged.clear();
		}
		if (this.logged.putIfAbsent(key, Boolean.TRUE) == null) {
			logger.warn(
					"Inquiry {} of reference id {} has status '{}', unknown to this service: the gate blocks until it is understood",
					LogSafe.of(inquiry.id()), LogSafe.of(inquiry.referenceId()), LogSafe.of(inquiry.rawStatus()));
		}
	}

}
