package io.personagate.dev;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Serves the built example app ({@code examples/spa/dist}) on a port of its own, so that
 * it runs on another origin than the service, as a real app does: {@code dev.spa.port}
 * (default 8081, 0 for any). Its {@code config.json} points it at this service, its first
 * gated template, development sign-in and the emulator's stand-in for Persona's flow. It
 * listens on the service's {@code server.address}. Nothing is served when the app is not
 * built.
 */
public final class DevSpa implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(DevSpa.class);

	private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
			"text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json",
			"application/json; charset=utf-8", "map", "application/json; charset=utf-8", "svg", "image/svg+xml", "png",
			"image/png", "ico", "image/x-icon");

	private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");

	private final Path root;

	private final String templateId;

	private final int port;

	/** The service's {@code server.address}: the app is reachable where it is. */
	private final String address;

	private volatile int gatePort;

	private volatile DisposableServer server;

	DevSpa(Path dist, String templateId, int port, String address) {
		this.root = dist.toAbsolutePath().normalize();
		this.templateId = templateId;
		this.port = port;
		this.address = address;
	}

	/** Starts serving once the service's port is known, if the app is built. */
	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return;
		}
		if (!isBuilt()) {
			logger.info(
					"The example app is not built in {}: ./mvnw verify builds it, or cd examples/spa && "
							+ "npm ci && npm run build (npm run dev serves it on http://localhost:5173 instead)",
					this.root);
			return;
		}
		this.gatePort = event.getWebServer().getPort();
		HttpServer server = HttpServer.create().port(this.port);
		this.server = ((this.address != null) ? server.host(this.address) : server).handle(this::serve).bindNow();
	}

	boolean isBuilt() {
		return Files.isRegularFile(this.root.resolve("index.html"));
	}

	/** Where the app is served, or {@code -1} when it is not. */
	public int port() {
		DisposableServer current = this.server;
		return (current != null) ? current.port() : -1;
	}

	private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		String path = request.fullPath();
		if (path.equals("/config.json")) {
			return response.header("Content-Type", TYPES.get("json"))
				.header("Cache-Control", "no-store")
				.sendString(Mono.just(config(request)), StandardCharsets.UTF_8)
				.then();
		}
		Path file = this.root.resolve(path.substring(1)).normalize();
		if (!file.startsWith(this.root) || !Files.isRegularFile(file)) {
			if (path.substring(path.lastIndexOf('/') + 1).contains(".")) {
				return response.status(HttpResponseStatus.NOT_FOUND).send();
			}
			file = this.root.resolve("index.html");
		}
		String name = file.getFileName().toString();
		String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
		return response.header("Content-Type", type)
			.header("Cache-Control", name.equals("index.html") ? "no-cache" : "max-age=3600")
			.sendFile(file)
			.then();
	}

	/** The service on the host the browser used for the app, on the service's port. */
	private String config(HttpServerRequest request) {
		String host = request.requestHeaders().get("Host", "localhost");
		int colon = host.lastIndexOf(':');
		if (colon > host.lastIndexOf(']')) {
			host = host.substring(0, colon);
		}
		if (!HOST.matcher(host).matches()) {
			host = "localhost";
		}
		return """
				{"gateUrl": "http://%s:%d", "templateId": "%s", "signIn": "dev", "inquiry": "emulator"}
				""".formatted(host, this.gatePort, this.templateId);
	}

	@Override
	public void destroy() {
		DisposableServer current = this.server;
		if (current != null) {
			current.disposeNow();
		}
	}

}
