package io.personagate.store;

import reactor.core.publisher.Flux;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/**
 * Reads cached inquiries.
 */
public interface InquiryRepository extends ReactiveCrudRepository<InquiryRecord, String> {

	Flux<InquiryRecord> findByReferenceIdAndTemplateId(String referenceId, String templateId);

}
