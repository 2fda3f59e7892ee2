package io.personagate.graphiql;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import io.personagate.support.IntegrationTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GraphiQL page over HTTP, without a browser: what it loads, and that all of it is
 * this service's and public. {@link GraphiQlBrowserTests} runs it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GraphiQlPageTests extends IntegrationTestSupport {

	private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

	@Autowired
	private WebTestClient client;

	@Test
	void pageLoadsEverythingFromThisServiceWithoutAToken() {
		String page = this.client.get()
			.uri("/graphiql")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("Content-Security-Policy", GraphiQlConfiguration.CONTENT_SECURITY_POLICY)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(page).as("the tabs' default variables").contains("data-template-id=\"" + TEMPLATE + "\"");
		List<String> links = LINK.matcher(page).results().map((match) -> match.group(1)).toList();
		assertThat(links).contains("/webjars/graphiql/graphiql.min.js", "/webjars/graphiql/graphiql.min.css",
				"/webjars/react/umd/react.production.min.js", "/webjars/react-dom/umd/react-dom.production.min.js",
				"/graphiql/persona-gate.js");
		assertThat(links).allSatisfy((link) -> assertThat(link).matches("/[^/].*|data:.*"));
		links.stream()
			.filter((link) -> link.startsWith("/"))
			.forEach((link) -> this.client.get().uri(link).exchange().expectStatus().isOk());
	}

	@Test
	void pagePostsToGraphQlWithTheReadmeOperations() {
		String script = this.client.get()
			.uri("/graphiql/persona-gate.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(script).contains("url: '/graphql'", "HTTP 401", "verificationGate(templateId: $templateId)",
				"ensureInquiry(input: { templateId: $templateId, clientMutationId: \"signup-screen\" })",
				"dataset.templateId || 'itmpl_...'", "defaultEditorToolsVisibility: 'headers'",
				"shouldPersistHeaders: false");
		assertThat(Pattern.compile("https?://").matcher(script).results().map(MatchResult::group)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "graphiql, GraphQL Contributors", "react, Facebook", "react-dom, Facebook" })
	void licencesAreServedBesideTheScripts(String webjar, String copyrightHolder) {
		this.client.get()
			.uri("/webjars/" + webjar + "/LICENSE")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((licence) -> assertThat(licence).contains("MIT License", copyrightHolder));
	}

	@Test
	void graphQlStillNeedsAToken() {
		this.client.post()
			.uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\":\"{ __typename }\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

}
