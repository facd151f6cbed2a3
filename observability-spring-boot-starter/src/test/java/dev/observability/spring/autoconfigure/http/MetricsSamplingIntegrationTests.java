package dev.observability.spring.autoconfigure.http;

import java.time.Duration;
import java.util.List;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import dev.observability.spring.autoconfigure.sample.Scrape;
import dev.observability.spring.autoconfigure.sample.Scrape.Sample;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.NestedTestConfiguration;
import org.springframework.test.context.NestedTestConfiguration.EnclosingConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code observability.metrics.sample-rate} on a real port, asserting on the
 * scrape text a Prometheus server would read: counts stay exact, the latency histogram
 * and the size distributions see a sample. Each test uses its own routes, so the counts
 * are exact whatever order the tests run in.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=sampled-service", "observability.metrics.sample-rate=0.1" })
final class MetricsSamplingIntegrationTests {

	private static final String APP = "application=\"sampled-service\"";

	private static final int REQUESTS = 1000;

	/**
	 * Sampled requests out of {@value #REQUESTS} at a rate of 0.1 are binomial: mean 100,
	 * standard deviation 9.5. Six of them either side make a false failure a
	 * one-in-a-billion event.
	 */
	private static final int MIN_SAMPLED = 43;

	private static final int MAX_SAMPLED = 157;

	/** {@code item 7}: 6 bytes. */
	private static final int ITEM_BODY_SIZE = 6;

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@BeforeEach
	void createClient() {
		this.http = new SampleHttpClient(this.port);
	}

	@Test
	void countsEveryRequestAndSamplesTheHistogram() {
		for (int i = 0; i < REQUESTS; i++) {
			assertThat(this.http.get("/items/7").statusCode()).isEqualTo(200);
		}
		String scrape = awaitRecorded("/items/{id}", REQUESTS);
		assertThat(scrape).contains("http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/items/{id}\"} "
				+ REQUESTS + "\n");
		assertThat(scrape).contains("# TYPE http_server_requests_seconds summary\n")
			.contains("# TYPE http_server_requests_sampled_seconds histogram\n")
			.contains("http_server_requests_seconds_max{" + APP
					+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/items/{id}\"} ")
			.doesNotContain("http_server_requests_seconds_bucket");
		Scrape parsed = Scrape.parse(scrape);
		double sampled = value(parsed, "http_server_requests_sampled_seconds_count", "/items/{id}");
		assertThat(sampled).isBetween((double) MIN_SAMPLED, (double) MAX_SAMPLED);
		assertThat(bucket(parsed, "http_server_requests_sampled_seconds_bucket", "/items/{id}", "+Inf"))
			.isEqualTo(sampled);
		assertThat(value(parsed, "http_server_response_size_bytes_count", "/items/{id}")).isEqualTo(sampled);
		assertThat(value(parsed, "http_server_response_size_bytes_sum", "/items/{id}"))
			.isEqualTo(sampled * ITEM_BODY_SIZE);
	}

	@Test
	void sampledHistogramHasTheLabelsAndBucketsOfTheExactOne() {
		this.http.get("/orders/1");
		String scrape = this.http.awaitScrapeContaining("uri=\"/orders/{id}\"} 1\n");
		List<Sample> counts = Scrape.parse(scrape).samples("http_server_requests_sampled_seconds_count");
		assertThat(counts).isNotEmpty()
			.allSatisfy((count) -> assertThat(count.labels()).containsOnlyKeys("application", "exception", "method",
					"outcome", "status", "uri"));
		for (String bound : new String[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
				"10.0", "+Inf" }) {
			assertThat(scrape).containsPattern("http_server_requests_sampled_seconds_bucket\\{" + APP
					+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
					+ "uri=\"/orders/\\{id\\}\",le=\"" + bound.replace(".", "\\.").replace("+", "\\+")
					+ "\"\\} \\d+\n");
		}
	}

	@Test
	void countsEveryException() {
		for (int i = 0; i < 50; i++) {
			assertThat(this.http.get("/throws").statusCode()).isEqualTo(500);
		}
		String scrape = this.http.awaitScrapeContaining("http_server_exceptions_total{" + APP
				+ ",exception=\"IllegalStateException\",method=\"GET\",uri=\"/throws\"} 50.0\n");
		assertThat(scrape).contains("http_server_requests_seconds_count{" + APP
				+ ",exception=\"IllegalStateException\",method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\","
				+ "uri=\"/throws\"} 50\n");
	}

	/**
	 * Scrapes until every request to a route is recorded, for at most 5 seconds: a
	 * request is recorded after its response may already have reached the client, and its
	 * sample just after its count.
	 */
	private String awaitRecorded(String uri, int requests) {
		String[] last = new String[1];
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			last[0] = this.http.getText("/metrics");
			Scrape scrape = Scrape.parse(last[0]);
			assertThat(value(scrape, "http_server_requests_seconds_count", uri)).isEqualTo(requests);
			assertThat(value(scrape, "http_server_response_size_bytes_count", uri))
				.isEqualTo(value(scrape, "http_server_requests_sampled_seconds_count", uri));
		});
		return last[0];
	}

	private static double value(Scrape scrape, String name, String uri) {
		return scrape.samples(name)
			.stream()
			.filter((sample) -> uri.equals(sample.labels().get("uri")))
			.mapToDouble(Sample::value)
			.sum();
	}

	private static double bucket(Scrape scrape, String name, String uri, String le) {
		return scrape.samples(name)
			.stream()
			.filter((sample) -> uri.equals(sample.labels().get("uri")) && le.equals(sample.labels().get("le")))
			.mapToDouble(Sample::value)
			.sum();
	}

	/**
	 * A rate of 0: the counts stay exact and no request reaches the distributions.
	 */
	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.application.name=sampled-service", "observability.metrics.sample-rate=0.0" })
	class RateZero {

		@LocalServerPort
		private int unsampledPort;

		@Test
		void countsEveryRequestAndSamplesNone() {
			SampleHttpClient http = new SampleHttpClient(this.unsampledPort);
			for (int i = 0; i < 20; i++) {
				assertThat(http.get("/products/" + i).statusCode()).isEqualTo(200);
			}
			String scrape = http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
					+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/products/{id}\"} 20\n");
			Scrape parsed = Scrape.parse(scrape);
			assertThat(value(parsed, "http_server_requests_seconds_sum", "/products/{id}")).isPositive();
			assertThat(value(parsed, "http_server_requests_sampled_seconds_count", "/products/{id}")).isZero();
			assertThat(value(parsed, "http_server_response_size_bytes_count", "/products/{id}")).isZero();
			assertThat(scrape).doesNotContain("http_server_requests_seconds_bucket");
		}

	}

}
