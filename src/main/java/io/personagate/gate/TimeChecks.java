package io.personagate.gate;

import io.personagate.config.GateProperties;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * One timer per instance, shared by every open subscription, that ticks each
 * {@code gate.subscriptions.time-check}: at each tick a subscription whose gate changes
 * by time alone at a moment now past reads it again. It runs only while a subscription
 * listens, and costs one comparison per subscription per tick, however many users there
 * are.
 */
@Component
class TimeChecks {

	private final Flux<Long> ticks;

	TimeChecks(GateProperties properties) {
		this.ticks = Flux.interval(properties.subscriptions().timeCheck()).onBackpressureDrop().share();
	}

	Flux<Long> ticks() {
		return this.ticks;
	}

}
