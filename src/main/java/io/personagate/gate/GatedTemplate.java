package io.personagate.gate;

import io.personagate.persona.TemplateId;

/**
 * A template this service gates, with its resolved policy.
 *
 * @param id the template id
 * @param policy its policy
 */
public record GatedTemplate(TemplateId id, TemplatePolicy policy) {

}
