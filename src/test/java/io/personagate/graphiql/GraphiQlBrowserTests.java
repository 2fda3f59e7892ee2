package io.personagate.graphiql;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GraphiQL in a real headless Chromium that can resolve no host name, so any script,
 * stylesheet or font the page tried to fetch from the internet would fail and show up in
 * the browser's network log. The service runs in development mode, as a developer runs
 * it, with tokens from {@code /dev/token}.
 */
class GraphiQlBrowserTests {

	private static final String TEMPLATE = "itmpl_DevModeTemplate000000001";

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

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

	private Path profile;

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
	void startBrowser() throws IOException {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"GraphiQL browser test skipped: it needs " + CHROMIUM + " and " + CHROMEDRIVER
						+ " (Debian packages chromium and chromium-driver)");
		persona.reset();
		this.profile = Files.createTempDirectory("graphiql-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-proxy-server",
				"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--window-size=1400,900",
				"--user-data-dir=" + this.profile);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.PERFORMANCE, Level.ALL);
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			FileSystemUtils.deleteRecursively(this.profile);
		}
	}

	@Test
	void approvedUserIsAllowedFromGraphiQlWithoutInternetAccess() throws IOException {
		persona.seed("user-1", TEMPLATE, "approved", Instant.now().minusSeconds(60));
		String token = devToken("user-1");
		WebDriverWait wait = new WebDriverWait(this.browser, TIMEOUT);

		this.browser.get("http://127.0.0.1:" + port + "/graphiql");
		wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR));
		assertThat(editorValue(QUERY_EDITOR)).contains("verificationGate(templateId: $templateId)");
		editorTab("Variables").click();
		type(wait.until(ExpectedConditions.visibilityOfElementLocated(VARIABLES_EDITOR)),
				"{\"templateId\": \"" + TEMPLATE + "\"}");
		assertThat(json.readTree(editorValue(VARIABLES_EDITOR)).path("templateId").asString()).isEqualTo(TEMPLATE);
		editorTab("Headers").click();
		type(wait.until(ExpectedConditions.visibilityOfElementLocated(HEADERS_EDITOR)),
				"{\"Authorization\": \"Bearer " + token + "\"}");
		assertThat(json.readTree(editorValue(HEADERS_EDITOR)).path("Authorization").asString())
			.isEqualTo("Bearer " + token);
		this.browser.findElement(By.cssSelector("button.graphiql-execute-button")).click();

		WebElement result = this.browser.findElement(By.cssSelector("section.result-window"));
		wait.until((driver) -> result.getText().contains("\"ALLOW\""));
		Files.createDirectories(SCREENSHOT.getParent());
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT,
				StandardCopyOption.REPLACE_EXISTING);

		assertThat(result.getText()).contains("\"APPROVED\"");
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.requests().get(0).getUrl().queryParameter("filter[reference-id]")).isEqualTo("user-1");
		List<URI> requested = requestedUrls();
		assertThat(requested).extracting(URI::getPath)
			.contains("/graphiql", "/webjars/graphiql/graphiql.min.js", "/webjars/react/umd/react.production.min.js",
					"/graphql");
		assertThat(requested).allSatisfy((uri) -> assertThat(uri.getHost()).isEqualTo("127.0.0.1"));
		assertThat(this.browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
			.noneMatch((message) -> message.contains("Content Security Policy"));
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
		assertThat(requestedUrls()).contains(URI.create("ws://127.0.0.1:" + port + "/graphql"));
		assertThat(persona.listCalls()).isEqualTo(1);
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

	/**
	 * Every URL the browser asked for, from Chromium's network events (requests that
	 * failed included), less those that never leave the browser: {@code data:} URLs such
	 * as GraphiQL's fonts, and Chromium's own {@code chrome://} pages such as the new tab
	 * it starts with.
	 */
	private List<URI> requestedUrls() {
		List<URI> urls = new ArrayList<>();
		for (LogEntry entry : this.browser.manage().logs().get(LogType.PERFORMANCE)) {
			JsonNode message = json.readTree(entry.getMessage()).path("message");
			String url = switch (message.path("method").asString("")) {
				case "Network.requestWillBeSent" -> message.path("params").path("request").path("url").asString();
				case "Network.webSocketCreated" -> message.path("params").path("url").asString();
				default -> null;
			};
			if (url != null && !url.startsWith("data:") && !url.startsWith("chrome:")) {
				urls.add(URI.create(url));
			}
		}
		return urls;
	}

}
