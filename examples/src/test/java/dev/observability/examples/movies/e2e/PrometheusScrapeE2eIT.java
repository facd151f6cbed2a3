package dev.observability.examples.movies.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.observability.examples.movies.e2e.PrometheusServer.Series;
import dev.observability.examples.movies.e2e.TextExposition.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the packaged example's {@code /metrics}: the exact counts
 * {@code curl} shows, {@code promtool}'s verdict on the exposition, and what a real
 * Prometheus computes from it with the queries of a RED dashboard. One app and one
 * Prometheus serve the whole class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PrometheusScrapeE2eIT {

	private static final String JOB = "movie-finder";

	private static final String APPLICATION = "movie-finder";

	private static final String MOVIE_ROUTE = "/api/movies/{id}";

	private static final int EXACT_REQUESTS = 13;

	private static final List<String> BUCKETS = List.of("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0",
			"2.5", "5.0", "10.0", "+Inf");

	private static final List<Traffic> TRAFFIC = List.of(new Traffic("/api/movies/42", 200, 50),
			new Traffic("/api/movies/7", 404, 20), new Traffic("/api/unavailable", 500, 10),
			new Traffic("/api/boom", 500, 5));

	/**
	 * Long enough for a dozen 1 s scrapes, so that {@code rate()} has samples to work
	 * with.
	 */
	private static final Duration TRAFFIC_SPREAD = Duration.ofSeconds(15);

	private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

	private static final String REQUEST_RATE = "sum by (uri, status) (rate(http_server_requests_seconds_count[1m]))";

	private static final String REQUEST_TOTAL = "sum by (uri, status) "
			+ "(http_server_requests_seconds_count{uri=~\"/api/.*\"})";

	private static final String MOVIE_P95 = "histogram_quantile(0.95, sum by (le, uri) "
			+ "(rate(http_server_requests_seconds_bucket{uri=\"/api/movies/{id}\"}[1m])))";

	/**
	 * One series per distinct value of the label: exactly one means every series carries
	 * it.
	 */
	private static final String APPLICATIONS = "group by (application) (http_server_requests_seconds_count)";

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private static ExampleApp app;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void startApp() throws Exception {
		app = ExampleApp.start(processes, "scrape-app", Map.of()).awaitHealthy();
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
	@Order(1)
	void scrapeCountsEveryRequestExactly() throws Exception {
		// First in the class, so the app is fresh: nothing has called the route yet.
		assertThat(movieCounts(scrape())).as("counts of %s before any request", MOVIE_ROUTE).isEmpty();
		for (int i = 0; i < EXACT_REQUESTS; i++) {
			assertThat(app.get("/api/movies/42").statusCode()).as("GET /api/movies/42").isEqualTo(200);
		}
		List<Sample> samples = scrape();
		assertThat(movieCounts(samples)).as("http_server_requests_seconds_count of %s, status 200", MOVIE_ROUTE)
			.singleElement()
			.satisfies((count) -> {
				assertThat(count.labels()).containsEntry("application", APPLICATION)
					.containsEntry("method", "GET")
					.containsEntry("outcome", "SUCCESS")
					.containsEntry("exception", "none");
				assertThat(count.value()).isEqualTo(EXACT_REQUESTS);
			});
		List<Sample> buckets = samples.stream()
			.filter((sample) -> sample.name().equals("http_server_requests_seconds_bucket")
					&& sample.has("uri", MOVIE_ROUTE) && sample.has("status", "200"))
			.toList();
		assertThat(buckets).as("http_server_requests_seconds_bucket of %s, status 200", MOVIE_ROUTE)
			.allSatisfy((bucket) -> assertThat(bucket.labels()).containsEntry("application", APPLICATION))
			.extracting((bucket) -> bucket.labels().get("le"))
			.containsExactlyElementsOf(BUCKETS);
		assertThat(buckets.get(buckets.size() - 1).value()).as("+Inf bucket").isEqualTo(EXACT_REQUESTS);
	}

	@Test
	@Order(2)
	void prometheusComputesRatesAndLatencyFromTheScrapes() throws Exception {
		// Started here, not for the class, so that only this test is skipped where
		// Prometheus is missing.
		prometheus = PrometheusServer.start(processes, JOB, app.port()).awaitReady();
		driveTraffic();
		Consumer<Double> positive = (value) -> assertThat(value).isPositive();
		await("Prometheus to show the traffic").atMost(QUERY_TIMEOUT)
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> {
				assertThat(prometheus.query("up{job=\"" + JOB + "\"}")).as("up")
					.singleElement()
					.satisfies((up) -> assertThat(up.value()).isEqualTo(1.0));
				assertThat(byUriAndStatus(prometheus.query(REQUEST_RATE))).as(REQUEST_RATE)
					.hasEntrySatisfying(List.of(MOVIE_ROUTE, "200"), positive)
					.hasEntrySatisfying(List.of(MOVIE_ROUTE, "404"), positive)
					.hasEntrySatisfying(List.of("/api/unavailable", "500"), positive)
					.hasEntrySatisfying(List.of("/api/boom", "500"), positive);
				// The latest scraped counters: every request sent, none lost or double
				// counted.
				assertThat(byUriAndStatus(prometheus.query(REQUEST_TOTAL))).as(REQUEST_TOTAL)
					.containsEntry(List.of(MOVIE_ROUTE, "404"), 20.0)
					.containsEntry(List.of("/api/unavailable", "500"), 10.0)
					.containsEntry(List.of("/api/boom", "500"), 5.0)
					.hasEntrySatisfying(List.of(MOVIE_ROUTE, "200"),
							(count) -> assertThat(count).isGreaterThanOrEqualTo(50));
				assertThat(prometheus.query(MOVIE_P95)).as(MOVIE_P95).singleElement().satisfies((p95) -> {
					assertThat(p95.label("uri")).isEqualTo(MOVIE_ROUTE);
					assertThat(p95.value()).isFinite().isPositive();
				});
				assertThat(prometheus.query(APPLICATIONS)).as(APPLICATIONS)
					.singleElement()
					.satisfies((series) -> assertThat(series.label("application")).isEqualTo(APPLICATION));
			});
	}

	@Test
	@Order(3)
	void promtoolFindsNoErrorsInTheScrape() throws Exception {
		// After the traffic, so the exposition has 404s, 500s and exception tags in it.
		String exposition = MetricsScrape.text(app);
		Promtool.Report report = Promtool.checkMetrics(exposition, "promtool-scrape");
		assertThat(report.errors()).as("promtool errors").isEmpty();
		assertThat(report.exitCode()).as("promtool exit code; output: %s", report.output())
			.isIn(0, Promtool.LINT_PROBLEMS);
		assertThat(report.lintedMetrics()).as("metrics with lint problems")
			.isSubsetOf(MetricsScrape.FOREIGN_LINT_PROBLEMS);

		// Proof that the check above can fail: one malformed line is reported as an
		// error.
		Promtool.Report broken = Promtool.checkMetrics(exposition + "movies_broken{uri=\"/api\" 1\n",
				"promtool-broken");
		assertThat(broken.exitCode()).as("exit code for a malformed line").isEqualTo(Promtool.PARSE_ERROR);
		assertThat(broken.errors()).as("errors for a malformed line").isNotEmpty();
	}

	private static List<Sample> scrape() throws Exception {
		return TextExposition.parse(MetricsScrape.text(app));
	}

	private static List<Sample> movieCounts(List<Sample> samples) {
		return samples.stream()
			.filter((sample) -> sample.name().equals("http_server_requests_seconds_count")
					&& sample.has("uri", MOVIE_ROUTE) && sample.has("status", "200"))
			.toList();
	}

	private static Map<List<String>, Double> byUriAndStatus(List<Series> series) {
		return series.stream()
			.collect(Collectors.toMap((each) -> List.of(each.label("uri"), each.label("status")), Series::value));
	}

	private static void driveTraffic() throws Exception {
		List<Traffic> schedule = schedule();
		long pause = TRAFFIC_SPREAD.toMillis() / schedule.size();
		for (Traffic request : schedule) {
			assertThat(app.get(request.path()).statusCode()).as("GET %s", request.path()).isEqualTo(request.status());
			Thread.sleep(pause);
		}
	}

	/**
	 * Every kind of request spread evenly over the run, so that each scrape sees all of
	 * them move.
	 */
	private static List<Traffic> schedule() {
		record Slot(double at, Traffic traffic) {
		}
		List<Slot> slots = new ArrayList<>();
		for (Traffic traffic : TRAFFIC) {
			for (int i = 0; i < traffic.count(); i++) {
				slots.add(new Slot((i + 0.5) / traffic.count(), traffic));
			}
		}
		slots.sort(Comparator.comparingDouble(Slot::at));
		return slots.stream().map(Slot::traffic).toList();
	}

	private record Traffic(String path, int status, int count) {
	}

}
