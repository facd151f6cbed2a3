package dev.observability.examples.movies.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.observability.examples.movies.e2e.PrometheusServer.Series;
import dev.observability.examples.movies.e2e.TextExposition.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the packaged example with request sampling switched on as a
 * deployment does it ({@code METRICS_SAMPLE_RATE=0.1}): the request counts a real
 * Prometheus reads stay exact, the latency histogram it computes quantiles from holds
 * about a tenth of the requests, and {@code promtool} accepts the exposition. One app
 * serves the whole class and receives all its traffic up front.
 */
final class SampledMetricsE2eIT {

	private static final String JOB = "movie-finder-sampled";

	private static final String MOVIE_ROUTE = "/api/movies/{id}";

	private static final int REQUESTS = 2000;

	/**
	 * Sampled requests out of {@value #REQUESTS} at a rate of 0.1 are binomial: mean 200,
	 * standard deviation 13.4. Six of them either side make a false failure a
	 * one-in-a-billion event.
	 */
	private static final double MIN_SAMPLED = 120;

	private static final double MAX_SAMPLED = 280;

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

	private static final String REQUEST_TOTAL = "sum(http_server_requests_seconds_count{uri=\"" + MOVIE_ROUTE + "\"})";

	private static final String SAMPLED_TOTAL = "sum(http_server_requests_sampled_seconds_count{uri=\"" + MOVIE_ROUTE
			+ "\"})";

	private static final String SAMPLED_P95 = "histogram_quantile(0.95, sum by (le) "
			+ "(http_server_requests_sampled_seconds_bucket{uri=\"" + MOVIE_ROUTE + "\"}))";

	/** Buckets of the exact family, which sampling moves to the sampled one. */
	private static final String EXACT_BUCKETS = "count(http_server_requests_seconds_bucket)";

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private static ExampleApp app;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void startAppAndSendTraffic() throws Exception {
		app = ExampleApp.start(processes, "sampled-app", Map.of("METRICS_SAMPLE_RATE", "0.1")).awaitHealthy();
		for (int i = 0; i < REQUESTS; i++) {
			assertThat(app.get("/api/movies/42").statusCode()).as("GET /api/movies/42").isEqualTo(200);
		}
	}

	@AfterAll
	static void stopPrometheus() {
		// Also deletes its temporary TSDB; the extension stops the app and anything else
		// left.
		if (prometheus != null) {
			prometheus.close();
		}
	}

	@Test
	void scrapeCountsEveryRequestAndSamplesTheHistogram() throws Exception {
		String exposition = recordedScrape();
		assertThat(exposition).contains("# TYPE http_server_requests_seconds summary\n")
			.contains("# TYPE http_server_requests_sampled_seconds histogram\n")
			.doesNotContain("http_server_requests_seconds_bucket");
		List<Sample> samples = TextExposition.parse(exposition);
		assertThat(movieTotal(samples, "http_server_requests_seconds_count")).as("requests counted")
			.isEqualTo(REQUESTS);
		assertThat(movieTotal(samples, "http_server_requests_sampled_seconds_count")).as("requests sampled")
			.isBetween(MIN_SAMPLED, MAX_SAMPLED);
	}

	@Test
	void prometheusSeesExactCountsAndComputesQuantilesFromTheSample() throws Exception {
		// Started here, not for the class, so that only this test is skipped where
		// Prometheus is missing.
		prometheus = PrometheusServer.start(processes, JOB, app.port()).awaitReady();
		double sampledInApp = movieTotal(TextExposition.parse(recordedScrape()),
				"http_server_requests_sampled_seconds_count");
		await("Prometheus to show the traffic").atMost(QUERY_TIMEOUT)
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> {
				assertThat(single(REQUEST_TOTAL)).as(REQUEST_TOTAL).isEqualTo(REQUESTS);
				assertThat(single(SAMPLED_TOTAL)).as(SAMPLED_TOTAL)
					.isEqualTo(sampledInApp)
					.isBetween(MIN_SAMPLED, MAX_SAMPLED);
				assertThat(single(SAMPLED_P95)).as(SAMPLED_P95).isFinite().isPositive();
				assertThat(prometheus.query(EXACT_BUCKETS)).as(EXACT_BUCKETS).isEmpty();
			});
	}

	@Test
	void promtoolFindsNoErrorsInTheSampledScrape() throws Exception {
		Promtool.Report report = Promtool.checkMetrics(MetricsScrape.text(app), "promtool-sampled-scrape");
		assertThat(report.errors()).as("promtool errors").isEmpty();
		assertThat(report.exitCode()).as("promtool exit code; output: %s", report.output())
			.isIn(0, Promtool.LINT_PROBLEMS);
		assertThat(report.lintedMetrics()).as("metrics with lint problems")
			.isSubsetOf(MetricsScrape.FOREIGN_LINT_PROBLEMS);
	}

	/**
	 * The exposition once every request is recorded, bounded: a request is recorded after
	 * its response may already have reached the client, and its sample just after its
	 * count.
	 */
	private static String recordedScrape() {
		String[] last = new String[1];
		await("every request to be recorded").atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> {
				last[0] = MetricsScrape.text(app);
				List<Sample> samples = TextExposition.parse(last[0]);
				assertThat(movieTotal(samples, "http_server_requests_seconds_count")).as("requests counted")
					.isEqualTo(REQUESTS);
				assertThat(movieTotal(samples, "http_server_response_size_bytes_count")).as("response sizes recorded")
					.isEqualTo(movieTotal(samples, "http_server_requests_sampled_seconds_count"));
			});
		return last[0];
	}

	private static double movieTotal(List<Sample> samples, String name) {
		return samples.stream()
			.filter((sample) -> sample.name().equals(name) && sample.has("uri", MOVIE_ROUTE))
			.mapToDouble(Sample::value)
			.sum();
	}

	/** The value of a query that aggregates to one series. */
	private static double single(String promql) throws Exception {
		List<Series> result = prometheus.query(promql);
		assertThat(result).as(promql).hasSize(1);
		return result.get(0).value();
	}

}
