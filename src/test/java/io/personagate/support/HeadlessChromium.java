package io.personagate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, headless, driven through its chromedriver, with a fresh profile, and
 * unable to resolve any host name but the loopback's: whatever a page tried to fetch from
 * the internet fails and shows up in {@link #requestedUrls()}.
 */
public final class HeadlessChromium implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path profile;

	private final ChromeDriver driver;

	private HeadlessChromium(Path profile, ChromeDriver driver) {
		this.profile = profile;
		this.driver = driver;
	}

	/** A new browser; the calling test is skipped, and says why, where there is none. */
	public static HeadlessChromium start(String test) {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), test + " skipped: it needs "
				+ CHROMIUM + " and " + CHROMEDRIVER + " (Debian packages chromium and chromium-driver)");
		try {
			Path profile = Files.createTempDirectory("chromium-");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM.toFile());
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--no-proxy-server",
					"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
					"--window-size=1400,900", "--user-data-dir=" + profile);
			LoggingPreferences logs = new LoggingPreferences();
			logs.enable(LogType.PERFORMANCE, Level.ALL);
			logs.enable(LogType.BROWSER, Level.ALL);
			options.setCapability("goog:loggingPrefs", logs);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
				.usingAnyFreePort()
				.build();
			return new HeadlessChromium(profile, new ChromeDriver(service, options));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	/** Saves what the browser shows now as a PNG. */
	public void screenshot(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), file,
					StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every request the browser made since the last call, as {@code METHOD URL} (requests
	 * that failed and WebSockets, as {@code WEBSOCKET URL}, included), less those that
	 * never leave the browser: {@code data:} URLs and Chromium's own {@code chrome://}
	 * pages.
	 */
	public List<Request> requests() {
		List<Request> requests = new ArrayList<>();
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			JsonNode message = json.readTree(entry.getMessage()).path("message");
			JsonNode params = message.path("params");
			Request request = switch (message.path("method").asString("")) {
				case "Network.requestWillBeSent" -> new Request(params.path("request").path("method").asString(),
						params.path("request").path("url").asString(),
						params.path("request").path("headers").path("Origin").asString(null));
				case "Network.webSocketCreated" -> new Request("WEBSOCKET", params.path("url").asString(), null);
				default -> null;
			};
			if (request != null && !request.url().startsWith("data:") && !request.url().startsWith("chrome:")) {
				requests.add(request);
			}
		}
		return requests;
	}

	/** The URLs of {@link #requests()}. */
	public List<URI> requestedUrls() {
		return requests().stream().map((request) -> URI.create(request.url())).toList();
	}

	/** What the page's scripts wrote to the console, errors included. */
	public List<String> console() {
		return this.driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
	}

	@Override
	public void close() {
		this.driver.quit();
		FileSystemUtils.deleteRecursively(this.profile.toFile());
	}

	/**
	 * One request of the browser's.
	 *
	 * @param method its HTTP method, or {@code WEBSOCKET}
	 * @param url where it went
	 * @param origin its {@code Origin} header, if it sent one
	 */
	public record Request(String method, String url, String origin) {
	}

}
