package dev.observability.spring.autoconfigure.cardinality;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import dev.observability.spring.autoconfigure.sample.Scrape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the cardinality limits on a real port: what the scrape,
 * {@code /actuator/cardinality} and {@code /actuator/health} show once a tag has more
 * values than its budget. Each test uses its own metric, so the counts are exact whatever
 * order the tests run in.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=cardinality-sample",
				"management.endpoints.web.exposure.include=cardinality,health",
				"management.endpoint.health.show-details=always" })
final class CardinalityLimitIntegrationTests {

	private static final String APP = "application=\"cardinality-sample\"";

	private static final String OVERFLOW = "__overflow__";

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@BeforeEach
	void createClient() {
		this.http = new SampleHttpClient(this.port);
	}

	@Test
	void foldsTagValuesBeyondTheBudgetIntoOneOverflowSeriesKeepingTheOtherTags() {
		countDistinctValues("values", 500);
		String text = this.http
			.awaitScrapeContaining("demo_values_total{" + APP + ",region=\"eu\",value=\"" + OVERFLOW + "\"} 400.0\n");
		Scrape scrape = Scrape.parse(text);
		List<Scrape.Sample> series = scrape.samples("demo_values_total");
		assertThat(series).hasSize(101)
			.allSatisfy((sample) -> assertThat(sample.labels()).containsEntry("region", "eu"));
		assertThat(scrape.labelValues("demo_values_total", "value")).hasSize(101)
			.contains("v000", "v042", "v099", OVERFLOW)
			.doesNotContain("v100", "v499");
		assertThat(text).contains("demo_values_total{" + APP + ",region=\"eu\",value=\"v000\"} 1.0\n")
			.contains("observability_cardinality_overflow_total{" + APP
					+ ",metric=\"demo.values\",tag=\"value\"} 400.0\n")
			.contains("# TYPE observability_cardinality_overflow_total counter");
		assertThat(scrape.sum("demo_values_total")).isEqualTo(500.0);
	}

	@Test
	void foldsUnmatchedPathsBeyondTheUriBudgetWithoutLosingRequests() {
		// Boot's own uri guard would deny the overflow series; the starter lifts it.
		for (int i = 0; i < 150; i++) {
			assertThat(this.http.get("/probe/p" + Segments.letters(i)).statusCode()).isEqualTo(404);
		}
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			Scrape scrape = Scrape.parse(this.http.getText("/metrics"));
			assertThat(scrape.sum("http_server_requests_seconds_count", "status", "404")).isEqualTo(150.0);
			// Unmatched paths spend the budget of 100; route templates such as /metrics
			// do not.
			assertThat(scrape.labelValues("http_server_requests_seconds_count", "uri"))
				.filteredOn((uri) -> uri.startsWith("/probe/"))
				.hasSize(100)
				.contains("/probe/p" + Segments.letters(0));
			assertThat(scrape.labelValues("http_server_requests_seconds_count", "uri")).contains("/metrics", OVERFLOW);
			double overflowed = scrape.sum("http_server_requests_seconds_count", "uri", OVERFLOW);
			assertThat(overflowed).isGreaterThanOrEqualTo(50.0);
			assertThat(scrape.overflows("http.server.requests", "uri")).isEqualTo(overflowed);
		});
	}

	@Test
	void cardinalityEndpointListsMetricWithOverflowedTag() {
		countDistinctValues("colours", 150);
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			HttpResponse<byte[]> response = this.http.get("/actuator/cardinality");
			assertThat(response.statusCode()).isEqualTo(200);
			String json = new String(response.body(), StandardCharsets.UTF_8);
			assertThat(JsonPath.<Integer>read(json, "$.maxValuesPerTag")).isEqualTo(100);
			assertThat(JsonPath.<Integer>read(json, "$.maxTagsPerMetric")).isEqualTo(10);
			assertThat(JsonPath.<List<String>>read(json, "$.overflowed")).contains("demo.colours");
			Map<String, Object> colours = JsonPath
				.<List<Map<String, Object>>>read(json, "$.metrics[?(@.metric == 'demo.colours')]")
				.get(0);
			assertThat(colours).containsEntry("series", 101)
				.containsEntry("maxValuesPerTag", 100)
				.containsEntry("overflowsPerTag", Map.of("value", 50))
				.containsEntry("refused", false);
			assertThat(colours.get("valuesPerTag")).isEqualTo(Map.of("value", 100, "region", 1, "application", 1));
		});
	}

	@Test
	void healthShowsCardinalityUpWithOverflowedMetrics() {
		countDistinctValues("sizes", 120);
		HttpResponse<byte[]> response = this.http.get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		String json = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(JsonPath.<String>read(json, "$.status")).isEqualTo("UP");
		assertThat(JsonPath.<String>read(json, "$.components.cardinality.status")).isEqualTo("UP");
		assertThat(JsonPath.<List<String>>read(json, "$.components.cardinality.details.overflowed"))
			.contains("demo.sizes [value]");
		assertThat(JsonPath.<List<String>>read(json, "$.components.cardinality.details.refused")).isEmpty();
	}

	private void countDistinctValues(String name, int count) {
		for (int i = 0; i < count; i++) {
			HttpResponse<byte[]> response = this.http.get("/counters/" + name + "?value=v" + String.format("%03d", i));
			assertThat(response.statusCode()).isEqualTo(200);
		}
	}

}
