package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The packaged example app, run as a user runs it: {@code java -jar} on a free loopback
 * port.
 */
final class ExampleApp implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	/** The seeds' environment variables the starter reads as aliases. */
	private static final Set<String> SEED_VARIABLES = Set.of("METRICS_ENABLED", "METRICS_SAMPLE_RATE",
			"DETAILED_METRICS_ENABLED", "TRACING_ENABLED", "TRACING_SAMPLE_RATE", "OTEL_EXPORTER_OTLP_ENDPOINT",
			"OTEL_SERVICE_NAME");

	private final ChildProcess process;

	private final int port;

	private ExampleApp(ChildProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the app without waiting for it.
	 * @param processes where the process is registered, to be stopped after the test
	 * class
	 * @param name names the log file under {@code target/e2e-logs}
	 * @param environment environment variables to add
	 * @return the starting app
	 */
	static ExampleApp start(ChildProcesses processes, String name, Map<String, String> environment) throws IOException {
		int port = FreePorts.next();
		ProcessBuilder builder = new ProcessBuilder(E2eSettings.java(), "-jar", E2eSettings.exampleJar().toString(),
				"--server.address=127.0.0.1", "--server.port=" + port);
		// Away from the repository, so no stray application.yml or config/ directory is
		// picked up.
		builder.directory(E2eSettings.logDirectory().toFile());
		// Switches set in the shell that runs the build must not decide what a test sees.
		builder.environment()
			.keySet()
			.removeIf((variable) -> variable.startsWith("OBSERVABILITY_") || SEED_VARIABLES.contains(variable)
					|| variable.startsWith("SPRING_"));
		builder.environment().putAll(environment);
		return new ExampleApp(processes.start(name, builder), port);
	}

	/**
	 * Waits, bounded, until {@code /actuator/health} reports {@code UP}; fails at once if
	 * the app exits.
	 * @return this app
	 */
	ExampleApp awaitHealthy() {
		await(this.process.name() + " to report UP on /actuator/health").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.failFast(this.process.name() + " exited during start-up", () -> !this.process.isAlive())
			.until(this::isUp);
		return this;
	}

	private boolean isUp() throws InterruptedException {
		try {
			HttpResponse<String> health = get("/actuator/health");
			return health.statusCode() == 200
					&& "UP".equals(JsonMapper.shared().readTree(health.body()).path("status").asString());
		}
		catch (IOException ex) {
			// Not listening yet.
			return false;
		}
	}

	long pid() {
		return this.process.pid();
	}

	int port() {
		return this.port;
	}

	HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		return LoopbackHttp.get(URI.create("http://127.0.0.1:" + this.port + path), headers);
	}

	@Override
	public void close() {
		this.process.close();
	}

}
