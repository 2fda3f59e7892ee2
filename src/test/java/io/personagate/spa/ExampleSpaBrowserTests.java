package io.personagate.spa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.personagate.dev.DevSpa;
import io.personagate.support.FakePersona;
import io.personagate.support.GateInstances;
import io.personagate.support.HeadlessChromium;
import io.personagate.support.HeadlessChromium.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example app ({@code examples/spa}, as {@code ./mvnw} builds it) in a real headless
 * Chromium, served by development mode on its own origin ({@code http://localhost:<app
 * port>}) and calling the service on another ({@code http://localhost:<service port>}): a
 * newcomer signs in, sees START, opens the inquiry (the emulator's stand-in for Persona's
 * flow), completes it, and the page turns to ALLOW by itself through the subscription; a
 * declined user is kept out, then and on the next visit. Each screen is saved under
 * {@code target/spa/}.
 */
class ExampleSpaBrowserTests {

	private static final Path DIST = Path.of("examples", "spa", "dist");

	private static final Path SCREENSHOTS = Path.of("target", "spa");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static ConfigurableApplicationContext context;

	private static FakePersona persona;

	private static String app;

	private static String gate;

	private HeadlessChromium chromium;

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeAll
	static void startDevelopmentMode(@TempDir Path dataDir) {
		assumeTrue(Files.isRegularFile(DIST.resolve("index.html")),
				"Example app browser test skipped: the app is not built in " + DIST
						+ " (./mvnw builds it with npm; npm was missing)");
		// failures retried after a day: a failed user is told when
		context = GateInstances.startDevelopmentMode(dataDir, "--gate.defaults.retry-after-failed=1d");
		persona = context.getBean(FakePersona.class);
		gate = "http://localhost:" + GateInstances.port(context);
		app = "http://localhost:" + context.getBean(DevSpa.class).port();
	}

	@AfterAll
	static void stopDevelopmentMode() {
		if (context != null) {
			context.close();
		}
	}

	@BeforeEach
	void startBrowser() {
		persona.reset();
		this.chromium = HeadlessChromium.start("Example app browser test");
		this.browser = this.chromium.driver();
		this.wait = new WebDriverWait(this.browser, TIMEOUT);
	}

	@AfterEach
	void stopBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void newcomerCompletesTheInquiryAndThePageTurnsToAllowLive() {
		this.browser.get(app + "/");
		screen("sign-in");
		this.chromium.screenshot(SCREENSHOTS.resolve("1-sign-in.png"));

		signIn("spa-newcomer");
		screen("start");
		assertThat(this.browser.findElement(By.id("request-id")).getText())
			.as("X-Request-Id is exposed to the app's origin")
			.matches("Last request id: [A-Za-z0-9._:-]+");
		this.chromium.screenshot(SCREENSHOTS.resolve("2-start.png"));
		assertThat(persona.listCalls()).isEqualTo(1);
		assertThat(persona.inquiries()).isEmpty();

		this.browser.findElement(By.id("verify")).click();
		WebElement frame = this.wait
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".inquiry-overlay iframe")));
		this.browser.switchTo().frame(frame);
		WebElement complete = this.wait.until(ExpectedConditions.elementToBeClickable(By.id("complete")));
		assertThat(this.browser.findElement(By.id("status")).getText()).isEqualTo("pending");
		this.browser.switchTo().defaultContent();
		this.chromium.screenshot(SCREENSHOTS.resolve("3-inquiry.png"));
		FakePersona.FakeInquiry inquiry = onlyInquiryOf("spa-newcomer");
		assertThat(persona.createCalls()).isEqualTo(1);

		this.browser.switchTo().frame(frame);
		complete.click();
		this.browser.switchTo().defaultContent();
		screen("allow");
		this.chromium.screenshot(SCREENSHOTS.resolve("4-allowed.png"));

		assertThat(inquiry.status).isEqualTo("completed");
		assertThat(row("select status from persona_inquiry where inquiry_id = ?", inquiry.id)).isEqualTo("completed");
		assertThat(persona.webhookDeliveries()).filteredOn((delivery) -> delivery.inquiryId().equals(inquiry.id))
			.extracting(FakePersona.WebhookDelivery::event, FakePersona.WebhookDelivery::status)
			.containsExactly(tuple("inquiry.started", 200), tuple("inquiry.completed", 200));
		List<Request> requests = this.chromium.requests();
		assertThat(requests).filteredOn((request) -> request.url().equals(gate + "/graphql"))
			.as("the gate query and ensureInquiry over HTTP, each after its CORS preflight from the app's origin; "
					+ "ALLOW came over the WebSocket")
			.extracting(Request::method)
			.containsOnly("OPTIONS", "POST")
			.filteredOn("POST"::equals)
			.hasSize(2);
		assertThat(requests).filteredOn((request) -> request.method().equals("OPTIONS"))
			.extracting(Request::origin)
			.containsOnly(app);
		assertThat(requests).extracting(Request::url)
			.contains(gate.replace("http:", "ws:") + "/graphql")
			.as("nothing but the app and the gate, Persona's servers included")
			.allMatch((url) -> Stream.of(app, gate, gate.replace("http:", "ws:"))
				.anyMatch((origin) -> url.startsWith(origin + "/")));
	}

	@Test
	void declinedUserIsKeptOutThenAndOnTheNextVisit() {
		this.browser.get(app + "/");
		signIn("spa-declined");
		screen("start");
		this.browser.findElement(By.id("verify")).click();
		this.browser.switchTo()
			.frame(this.wait
				.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".inquiry-overlay iframe"))));
		this.wait.until(ExpectedConditions.elementToBeClickable(By.id("decline"))).click();
		this.browser.switchTo().defaultContent();
		screen("deny");
		this.chromium.screenshot(SCREENSHOTS.resolve("5-declined.png"));
		FakePersona.FakeInquiry inquiry = onlyInquiryOf("spa-declined");
		assertThat(inquiry.status).isEqualTo("declined");
		assertThat(row("select status from persona_inquiry where inquiry_id = ?", inquiry.id)).isEqualTo("declined");

		this.browser.findElement(By.id("sign-out")).click();
		screen("sign-in");
		signIn("spa-declined");
		screen("deny");
		assertThat(this.browser.findElements(By.id("verify"))).isEmpty();
		assertThat(persona.createCalls()).as("no second inquiry").isEqualTo(1);
		assertThat(onlyInquiryOf("spa-declined").id).isEqualTo(inquiry.id);
	}

	@Test
	void failedUserIsToldWhenTheyCanTryAgain() {
		Instant failedAt = Instant.now().minus(Duration.ofHours(2));
		persona
			.seed("spa-failed", context.getEnvironment().getProperty("gate.templates[0].id"), "failed",
					failedAt.minus(Duration.ofMinutes(10)))
			.decidedAt(failedAt);

		this.browser.get(app + "/");
		signIn("spa-failed");
		screen("deny");
		this.chromium.screenshot(SCREENSHOTS.resolve("6-try-again.png"));

		String retry = this.browser.findElement(By.id("retry-at")).getText();
		assertThat(retry).startsWith("You can try again on ")
			.contains(String.valueOf(failedAt.plus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).getYear()));
		assertThat(this.browser.findElements(By.id("verify"))).isEmpty();
		assertThat(persona.createCalls()).isZero();
	}

	private void signIn(String userId) {
		WebElement field = this.wait.until(ExpectedConditions.elementToBeClickable(By.name("userId")));
		field.clear();
		field.sendKeys(userId);
		this.browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
	}

	private void screen(String name) {
		this.wait.until(ExpectedConditions.attributeToBe(By.id("screen"), "data-screen", name));
	}

	private static FakePersona.FakeInquiry onlyInquiryOf(String userId) {
		List<FakePersona.FakeInquiry> inquiries = persona.inquiries()
			.stream()
			.filter((inquiry) -> inquiry.referenceId.equals(userId))
			.toList();
		assertThat(inquiries).hasSize(1);
		return inquiries.get(0);
	}

	private static String row(String sql, Object... args) {
		Environment environment = context.getEnvironment();
		try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.flyway.url"),
				environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"));
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				return rs.next() ? rs.getString(1) : null;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
