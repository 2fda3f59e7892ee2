package io.personagate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.personagate.webhook.WebhookSignature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Persona webhook bodies built from the examples of Persona's OpenAPI spec, and their
 * signatures.
 */
public final class PersonaWebhooks {

	public static final String SECRET = "test-webhook-secret-one";

	private static final JsonMapper json = JsonMapper.builder().build();

	private PersonaWebhooks() {
	}

	/**
	 * An {@code inquiry.<event>} body (event as in the example file name, e.g.
	 * {@code approved}, {@code marked-for-review}) about the given inquiry, stamped
	 * {@code updatedAt}.
	 */
	public static byte[] event(String event, String eventId, String inquiryId, String referenceId, String templateId,
			Instant updatedAt) {
		ObjectNode body = load(event);
		ObjectNode data = (ObjectNode) body.get("data");
		data.put("id", eventId);
		((ObjectNode) data.get("attributes")).put("created-at", updatedAt.plusMillis(100).toString());
		ObjectNode inquiry = (ObjectNode) data.get("attributes").get("payload").get("data");
		inquiry.put("id", inquiryId);
		ObjectNode attributes = (ObjectNode) inquiry.get("attributes");
		attributes.put("reference-id", referenceId);
		attributes.put("updated-at", updatedAt.toString());
		ObjectNode relationships = (ObjectNode) inquiry.get("relationships");
		if (templateId.startsWith("tmpl_")) {
			relationships.putObject("template").putObject("data").put("type", "template").put("id", templateId);
			relationships.putObject("inquiry-template").putNull("data");
		}
		else {
			relationships.putObject("inquiry-template")
				.putObject("data")
				.put("type", "inquiry-template")
				.put("id", templateId);
			relationships.putObject("template").putNull("data");
		}
		return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The body of event {@code name} (e.g. {@code inquiry.approved}) about an inquiry
	 * given as the JSON:API resource Persona's API serves for it: the envelope of the
	 * spec's example with this payload.
	 */
	public static byte[] event(String name, String eventId, ObjectNode inquiry, Instant createdAt) {
		ObjectNode body = load(name.substring("inquiry.".length()));
		ObjectNode data = (ObjectNode) body.get("data");
		data.put("id", eventId);
		ObjectNode attributes = (ObjectNode) data.get("attributes");
		attributes.put("created-at", createdAt.toString());
		ObjectNode payload = (ObjectNode) attributes.get("payload");
		payload.set("data", inquiry);
		payload.putArray("included");
		return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
	}

	public static String sign(byte[] body) {
		return WebhookSignature.sign(SECRET, body, Instant.now().getEpochSecond());
	}

	private static ObjectNode load(String event) {
		try (InputStream in = PersonaWebhooks.class
			.getResourceAsStream("/persona/webhooks/inquiry-" + event + ".json")) {
			return (ObjectNode) json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
