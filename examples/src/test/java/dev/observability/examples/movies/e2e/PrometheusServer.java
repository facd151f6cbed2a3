package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server scraping one target every second, with its configuration and
 * TSDB in a temporary directory that is deleted on close.
 */
final class PrometheusServer implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final ChildProcess process;

	private final int port;

	private final Path home;

	private PrometheusServer(ChildProcess process, int port, Path home) {
		this.process = process;
		this.port = port;
		this.home = home;
	}

	/**
	 * Starts Prometheus without waiting for it.
	 * @param processes where the process is registered, to be stopped after the test
	 * class
	 * @param job the scrape job name, the {@code job} label of every series
	 * @param targetPort the port of the app whose {@code /metrics} is scraped on
	 * 127.0.0.1
	 * @return the starting server
	 */
	static PrometheusServer start(ChildProcesses processes, String job, int targetPort) throws IOException {
		String binary = E2eSettings.prometheus();
		Path home = Files.createTempDirectory("e2e-prometheus-");
		Path config = Files.writeString(home.resolve("prometheus.yml"), config(job, targetPort));
		int port = FreePorts.next();
		ProcessBuilder builder = new ProcessBuilder(binary, "--config.file=" + config,
				"--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port);
		builder.directory(home.toFile());
		return new PrometheusServer(processes.start("prometheus", builder), port, home);
	}

	private static String config(String job, int targetPort) {
		return """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				scrape_configs:
				  - job_name: '%s'
				    metrics_path: /metrics
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(job, targetPort);
	}

	/**
	 * Waits, bounded, until {@code /-/ready} answers 200; fails at once if Prometheus
	 * exits.
	 * @return this server
	 */
	PrometheusServer awaitReady() {
		await("Prometheus to be ready").atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.failFast("Prometheus exited during start-up", () -> !this.process.isAlive())
			.until(this::isReady);
		return this;
	}

	private boolean isReady() throws InterruptedException {
		try {
			return LoopbackHttp.get(uri("/-/ready")).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Runs an instant query.
	 * @param promql the query
	 * @return the series of the resulting vector
	 * @throws IllegalStateException if Prometheus rejects the query, which no retry would
	 * fix
	 */
	List<Series> query(String promql) throws IOException, InterruptedException {
		HttpResponse<String> response = LoopbackHttp
			.get(uri("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
		JsonNode body = JsonMapper.shared().readTree(response.body());
		JsonNode data = body.path("data");
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())
				|| !"vector".equals(data.path("resultType").asString())) {
			throw new IllegalStateException("Query " + promql + " failed: " + response.body());
		}
		List<Series> series = new ArrayList<>();
		for (JsonNode result : data.path("result")) {
			Map<String, String> labels = new TreeMap<>();
			for (Map.Entry<String, JsonNode> label : result.path("metric").properties()) {
				labels.put(label.getKey(), label.getValue().asString());
			}
			// "value" is [timestamp, "value"], the value as a string so that NaN and +Inf
			// survive JSON.
			series.add(new Series(labels, SampleValues.parse(result.path("value").path(1).asString())));
		}
		return series;
	}

	private URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Override
	public void close() {
		this.process.close();
		try (Stream<Path> files = Files.walk(this.home)) {
			files.sorted(Comparator.reverseOrder()).forEach(PrometheusServer::delete);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One series of a query result.
	 *
	 * @param labels the labels
	 * @param value the sample value
	 */
	record Series(Map<String, String> labels, double value) {

		String label(String name) {
			return this.labels.getOrDefault(name, "");
		}

	}

}
