package io.personagate.config;

import java.time.Clock;

import io.personagate.store.GateStore;
import io.personagate.store.InquiryClaims;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wiring that belongs to no single feature.
 */
@Configuration(proxyBeanMethods = false)
public class GateConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	InquiryClaims.ClaimSettings claimSettings(GateProperties properties) {
		return new InquiryClaims.ClaimSettings(properties.lock().lease(), properties.lock().waitTimeout());
	}

	@Bean
	GateStore.Trust storeTrust(GateProperties properties) {
		return new GateStore.Trust(properties.cache().listingLag(), properties.cache().clockSkew());
	}

}
