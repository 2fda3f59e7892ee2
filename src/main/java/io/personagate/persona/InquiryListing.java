package io.personagate.persona;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pages of one listing of a user's inquiries on a template, read as evidence: only
 * what Persona says is the user's counts, and a listing that cannot be read to its end is
 * no listing at all. A gate decided on part of a listing could say START to a user whose
 * approval is on the page it did not read, and {@code ensureInquiry} would then create a
 * second inquiry; so every doubt about the answer fails the whole listing
 * ({@link PersonaException.Unavailable}, kind {@code BAD_RESPONSE}), never the user.
 * <ul>
 * <li>a page without {@code data}, with more items than the {@code page[size]} asked for,
 * or with an item that has no usable id, reference id or template;</li>
 * <li>a {@code links.next} without a usable {@code page[after]} cursor, a cursor seen
 * before (a loop), or more pages than allowed.</li>
 * </ul>
 * An item of another user or template (Persona's filter should never return one) is left
 * out and counted. One id listed twice counts once: its newest version by
 * {@code updated-at}, and of two as new the more restrictive status.
 */
final class InquiryListing {

	/** Most restrictive first: which of two versions as new counts. */
	private static final List<InquiryStatus> RESTRICTIVE_FIRST = List.of(InquiryStatus.DECLINED, InquiryStatus.FAILED,
			InquiryStatus.UNKNOWN, InquiryStatus.NEEDS_REVIEW, InquiryStatus.EXPIRED, InquiryStatus.PENDING,
			InquiryStatus.CREATED, InquiryStatus.COMPLETED, InquiryStatus.APPROVED);

	/** How far ahead of this clock a time may be and still be taken as a version. */
	private static final Duration SKEW = Duration.ofMinutes(5);

	private static final Comparator<PersonaInquiry> MORE_RESTRICTIVE = Comparator
		.comparing((inquiry) -> -RESTRICTIVE_FIRST.indexOf(inquiry.status()));

	private final String referenceId;

	private final TemplateId template;

	private final int pageSize;

	private final int maxPages;

	private final Map<String, PersonaInquiry> byId = new LinkedHashMap<>();

	private final Set<String> cursors = new HashSet<>();

	private final List<String> foreign = new ArrayList<>();

	private int pages;

	InquiryListing(String referenceId, TemplateId template, int pageSize, int maxPages) {
		this.referenceId = referenceId;
		this.template = template;
		this.pageSize = pageSize;
		this.maxPages = maxPages;
	}

	/** Whether another page may be asked for. */
	boolean mayFollow() {
		return this.pages < this.maxPages;
	}

	int pages() {
		return this.pages;
	}

	/**
	 * Takes one page.
	 * @return the cursor of the next page, or {@code null} after the last
	 * @throws PersonaException.Unavailable if the page cannot be trusted
	 */
	String add(JsonApi.InquiryList page, String requestId) {
		this.pages++;
		if (page.data() == null) {
			throw unreadable("a page without data", requestId);
		}
		if (page.data().size() > this.pageSize) {
			throw unreadable(
					"a page of " + page.data().size() + " inquiries, more than the " + this.pageSize + " asked for",
					requestId);
		}
		for (JsonApi.InquiryResource resource : page.data()) {
			if (resource == null || !PersonaInquiry.isUsableId(resource.id())) {
				throw unreadable("an inquiry without a usable id", requestId);
			}
			PersonaInquiry inquiry = resource.toInquiry(this.template);
			if (!PersonaInquiry.isUsableText(inquiry.rawStatus()) || !inquiry.hasUsableTimes()) {
				throw unreadable("inquiry " + inquiry.id() + " with a status or time Persona would not send",
						requestId);
			}
			if (inquiry.templateId() == null) {
				throw unreadable("inquiry " + inquiry.id() + " without its template", requestId);
			}
			if (inquiry.referenceId() == null) {
				// Persona found it by the user's reference id, which redaction then
				// erased
				// from it: still the user's attempt
				if (inquiry.redactedAt() == null) {
					throw unreadable("inquiry " + inquiry.id() + " without its reference id", requestId);
				}
				inquiry = new PersonaInquiry(inquiry.id(), inquiry.status(), inquiry.rawStatus(), this.referenceId,
						inquiry.templateId(), inquiry.createdAt(), inquiry.updatedAt(), inquiry.expiredAt(),
						inquiry.redactedAt(), inquiry.decisionedAt(), inquiry.completedAt(), inquiry.failedAt());
			}
			if (!inquiry.referenceId().equals(this.referenceId)
					|| !inquiry.templateId().equals(this.template.value())) {
				this.foreign.add(inquiry.id());
				continue;
			}
			this.byId.merge(inquiry.id(), inquiry, InquiryListing::preferred);
		}
		if (page.links() == null || page.links().next() == null || page.links().next().isBlank()) {
			return null;
		}
		String next = PersonaClient.nextCursor(page.links());
		if (next == null) {
			throw unreadable("a next link without a page[after] cursor", requestId);
		}
		if (!this.cursors.add(next)) {
			throw unreadable("a next link back to a page already read (cursor " + next + ")", requestId);
		}
		if (!mayFollow()) {
			throw unreadable("more than " + this.maxPages + " pages of " + this.pageSize, requestId);
		}
		return next;
	}

	/**
	 * Of two versions of one inquiry, the newer by {@code updated-at}; of two as new, or
	 * when either is stamped later than now, the more restrictive.
	 */
	private static PersonaInquiry preferred(PersonaInquiry known, PersonaInquiry other) {
		Instant latest = Instant.now().plus(SKEW);
		Instant a = known.updatedAt();
		Instant b = other.updatedAt();
		boolean comparable = a != null && b != null && !a.isAfter(latest) && !b.isAfter(latest) && !a.equals(b);
		if (comparable) {
			return b.isAfter(a) ? other : known;
		}
		return (MORE_RESTRICTIVE.compare(other, known) > 0) ? other : known;
	}

	/** The user's inquiries on the template, each once. */
	List<PersonaInquiry> inquiries() {
		return List.copyOf(this.byId.values());
	}

	/** Ids of listed inquiries of another user or template, left out. */
	List<String> foreign() {
		return List.copyOf(this.foreign);
	}

	private PersonaException.Unavailable unreadable(String what, String requestId) {
		return new PersonaException.Unavailable("list inquiries: Persona's listing cannot be trusted: "
				+ LogSafe.of(what) + " (page " + this.pages + ")", PersonaException.Unavailable.Kind.BAD_RESPONSE, 200,
				requestId, null);
	}

}
