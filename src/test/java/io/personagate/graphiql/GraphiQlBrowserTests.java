package io.personagate.graphiql;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphiQL in a real headless Chromium that can resolve no host name, so any script,
 * stylesheet or font the page tried to fetch from the internet would fail and show up in
 * the browser's network log. The service runs in development mode, as a developer runs
 * it, with tokens from {@code /dev/token}; its tabs' variables already name the
 * development template.
 */
class GraphiQlBrowserTests {

	private static final String TEMPLATE = "itmpl_DevModeTemplate000000001";

	private static final Path SCREENSHOT = Path.of("target", "graphiql-offline.png");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final By QUERY_EDITOR = By.cssSelector(".graphiql-query-editor .CodeMirror");

	private static final By HEADERS_EDITOR = By
		.cssSelector("section.graphiql-editor-tool[aria-label='Headers'] .graphiql-editor:not(.hidden) .CodeMirror");

	private static final By VARIABLES_EDITOR = By
		.cssSelector("section.graphiql-editor-tool[aria-label='Variables'] .graphiql-editor:not(.hidden) .CodeMirror");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext context;

	private static FakePersona persona;

	private static int port;

	private HeadlessChromium chromium;

	private ChromeDriver browser;

	@BeforeAll
	static void startDevelopmentMode(@TempDir Path dataDir) {
		context = GateInstances.startDevelopmentMode(dataDir);
		persona = context.getBean(FakePersona.class);
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stopDevelopmentMode() {
		if (context != null) {
			context.close();
		}
	}

	/** A token from development mode's sign-in, as a developer gets one. */
	private static String devToken(String userId) {
		JsonNode answer = WebClient.create("http://127.0.0.1:" + port)
			.post()
			.uri("/dev/token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("userId", userId))
			.retrieve()
			.bodyToMono(JsonNode.class)
			.block(Duration.ofSeconds(10));
		return answer.path("token").asString();
	}

	@BeforeEach
	void startBrowser() {
		persona.reset();
		this.chromium = HeadlessChromium.start("GraphiQL browser test");
		this.browser = this.chromium.driver();
	}

	@AfterEach
	void stopBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void approvedUserIsAllowedFromGraphiQlWithoutInternetAccessWithTheDefaultVariables() {
		persona.seed("user-1", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		String token = devToken("user-1");
		WebDriverWait wait = new WebDriverWait(this.browser, TIMEOUT);

		this.browser.get("http://127.0.0.1:" + port + "/graphiql");
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		assertThat(editorValue(QUERY_EDITOR)).contains("verificationGate(templateId: $templateId)");
		editorTab("Variables").click();
		wait.until(ExpectedConditions.visibilityOfElementLocated(VARIABLES_EDITOR));
		// the editor takes its content a moment after it shows
		wait.until((driver) -> editorValue(VARIABLES_EDITOR).contains("templateId"));
		assertThat(json.readTree(editorValue(VARIABLES_EDITOR)).path("templateId").asString())
			.as("development mode's template, without typing it")
			.isEqualTo(TEMPLATE);
		editorTab("Headers").click();
		type(wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR)),
				"{\"Authorization\": \"Bearer " + token + "\"}");
		assertThat(json.readTree(editorValue(HEADERS_EDITOR)).path("Authorization").asString())
			.isEqualTo("Bearer " + token);
		this.browser.findElement(By.cssSelector("button.graphiql-execute-button")).click();

		WebElement result = this.browser.findElement(By.cssSelector("section.result-window"));
		wait.until((driver) -> result.getText().contains("\"ALLOW\""));
		this.chromium.screenshot(SCREENSHOT);

		assertThat(result.getText()).contains("\"APPROVED\"");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.requests().get(0).getUrl().queryParameter("filter[reference-id]")).isEqualTo("user-1");
		List<URI> requested = this.chromium.requestedUrls();
		assertThat(requested).extracting(URI::getPath)
			.contains("/graphiql", "/webjars/graphiql/graphiql.min.js", "/webjars/react/umd/react.production.min.js",
					"/graphql");
		assertThat(requested).allSatisfy((uri) -> assertThat(uri.getHost()).isEqualTo("127.0.0.1"));
		assertThat(this.chromium.console()).noneMatch((message) -> message.contains("Content Security Policy"));
	}

	@Test
	void theSubscriptionRunsOverWebSocketAndShowsTheApproval() {
		FakePersona.FakeInquiry pending = persona.seed("user-live", TEMPLATE, "pending",
				Instant.now().minusSeconds(60));
		String token = devToken("user-live");
		WebDriverWait wait = new WebDriverWait(this.browser, TIMEOUT);

		this.browser.get("http://127.0.0.1:" + port + "/graphiql?token=" + token);
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		type(this.browser.findElement(QUERY_EDITOR),
				"subscription($t: ID!) { verificationGateChanged(templateId: $t) { decision inquiryStatus } }");
		editorTab("Variables").click();
		type(wait.until(ExpectedConditions.visibilityOfElementLocated(VARIABLES_EDITOR)),
				"{\"t\": \"" + TEMPLATE + "\"}");
		this.browser.findElement(By.cssSelector("button.graphiql-execute-button")).click();

		WebElement result = this.browser.findElement(By.cssSelector("section.result-window"));
		wait.until((driver) -> result.getText().contains("\"RESUME\""));
		WebClient.create("http://127.0.0.1:" + port)
			.post()
			.uri("/dev/persona/inquiries/{id}/approve", pending.id)
			.retrieve()
			.toBodilessEntity()
			.block(Duration.ofSeconds(10));
		wait.until((driver) -> result.getText().contains("\"ALLOW\""));

		assertThat(result.getText()).contains("\"APPROVED\"");
		assertThat(this.chromium.requestedUrls()).contains(URI.create("ws://127.0.0.1:" + port + "/graphql"));
		// the first gate, and the listing that confirmed the webhook's approval
		assertThat(persona.listCalls()).isEqualTo(2);
	}

	@Test
	void runWithoutAValidTokenSaysWhyInTheResultPane() {
		WebDriverWait wait = new WebDriverWait(this.browser, TIMEOUT);

		this.browser.get("http://127.0.0.1:" + port + "/graphiql");
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		this.browser.findElement(By.cssSelector("button.graphiql-execute-button")).click();

		WebElement result = this.browser.findElement(By.cssSelector("section.result-window"));
		wait.until((driver) -> result.getText().contains("HTTP 401"));
		assertThat(result.getText()).contains("invalid_token", "put a valid JWT in the headers editor");
		assertThat(persona.requests()).isEmpty();
	}

	@Test
	void tokenInTheAddressGoesIntoTheHeadersEditorAndOutOfTheAddress() {
		String token = devToken("user-1");
		WebDriverWait wait = new WebDriverWait(this.browser, TIMEOUT);

		this.browser.get("http://127.0.0.1:" + port + "/graphiql?token=" + token);
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		assertThat(json.readTree(editorValue(HEADERS_EDITOR)).path("Authorization").asString())
			.isEqualTo("Bearer " + token);
		assertThat(this.browser.getCurrentUrl()).isEqualTo("http://127.0.0.1:" + port + "/graphiql");
		wait.until((driver) -> this.browser.executeScript("return localStorage.getItem('graphiql:tabState')") != null);
		assertThat((String) this.browser.executeScript("return localStorage.getItem('graphiql:tabState')"))
			.contains("verificationGate")
			.doesNotContain(token);

		String another = devToken("user-2");
		this.browser.get("http://127.0.0.1:" + port + "/graphiql?token=" + another);
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		assertThat(json.readTree(editorValue(HEADERS_EDITOR)).path("Authorization").asString())
			.isEqualTo("Bearer " + another);
		assertThat(editorValue(QUERY_EDITOR)).contains("verificationGate(templateId: $templateId)");
	}

	private WebElement editorTab(String name) {
		return this.browser
			.findElement(By.xpath("//div[@class='graphiql-editor-tools-tabs']/button[text()='" + name + "']"));
	}

	/**
	 * Types into a CodeMirror editor the way a person does: click, select all, type over
	 * it.
	 */
	private void type(WebElement editor, String text) {
		editor.click();
		new Actions(this.browser).keyDown(Keys.CONTROL)
			.sendKeys("a")
			.keyUp(Keys.CONTROL)
			.sendKeys(Keys.DELETE)
			.sendKeys(text)
			.perform();
	}

	private String editorValue(By editor) {
		return (String) this.browser.executeScript("return arguments[0].CodeMirror.getValue()",
				this.browser.findElement(editor));
	}

}
