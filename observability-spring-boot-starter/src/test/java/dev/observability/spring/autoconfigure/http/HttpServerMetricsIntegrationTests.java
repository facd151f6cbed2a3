package dev.observability.spring.autoconfigure.http;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleController;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpServerMetricsFilter} and the scrape endpoint on a real port,
 * asserting on the scrape text a Prometheus server would read. Each test uses its own
 * routes, so the counts are exact whatever order the tests run in.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.application.name=sample-service", "management.endpoints.web.exposure.include=prometheus,health" })
final class HttpServerMetricsIntegrationTests {

	private static final String APP = "application=\"sample-service\"";

	private static final String TEXT_FORMAT = "text/plain;version=0.0.4;charset=utf-8";

	private static final String OPEN_METRICS = "application/openmetrics-text;version=1.0.0;charset=utf-8";

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@BeforeEach
	void createClient() {
		this.http = new SampleHttpClient(this.port);
	}

	@Test
	void countsEachRequestOnceByRouteTemplate() {
		for (int id = 1; id <= 3; id++) {
			HttpResponse<byte[]> response = this.http.get("/items/" + id);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("item " + id);
		}
		String scrape = this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/items/{id}\"} 3\n");
		assertThat(scrape).doesNotContain("uri=\"/items/1\"", "uri=\"/items/2\"", "uri=\"/items/3\"")
			.contains("http_server_response_size_bytes_count{" + APP + ",method=\"GET\",uri=\"/items/{id}\"} 3\n")
			.contains("http_server_response_size_bytes_sum{" + APP + ",method=\"GET\",uri=\"/items/{id}\"} 18.0\n");
	}

	@Test
	void recordsHistogramBuckets() {
		this.http.get("/orders/histogram");
		String scrape = this.http.awaitScrapeContaining("uri=\"/orders/{id}\"");
		for (String bound : new String[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0",
				"10.0", "+Inf" }) {
			assertThat(scrape).containsPattern("http_server_requests_seconds_bucket\\{" + APP
					+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\","
					+ "uri=\"/orders/\\{id\\}\",le=\"" + bound.replace(".", "\\.").replace("+", "\\+")
					+ "\"\\} \\d+\n");
		}
		assertThat(scrape).contains("# TYPE http_server_requests_seconds histogram")
			.contains("# TYPE http_server_response_size_bytes histogram")
			.containsPattern("http_server_response_size_bytes_bucket\\{" + APP
					+ ",method=\"GET\",uri=\"/orders/\\{id\\}\",le=\"100\\.0\"\\} \\d+\n");
	}

	@Test
	void recordsServerErrorStatusWithoutException() {
		assertThat(this.http.get("/fails").statusCode()).isEqualTo(500);
		String scrape = this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\",uri=\"/fails\"} 1\n");
		assertThat(scrape).doesNotContain("http_server_exceptions_total{" + APP + ",exception=\"none\"");
	}

	@Test
	void recordsThrownExceptionOnceDespiteErrorDispatch() {
		assertThat(this.http.get("/throws").statusCode()).isEqualTo(500);
		String scrape = this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"IllegalStateException\",method=\"GET\",outcome=\"SERVER_ERROR\",status=\"500\","
				+ "uri=\"/throws\"} 1\n");
		assertThat(scrape)
			.contains("http_server_exceptions_total{" + APP
					+ ",exception=\"IllegalStateException\",method=\"GET\",uri=\"/throws\"} 1.0\n")
			.doesNotContain("uri=\"/error\"")
			.doesNotContain("exception=\"ServletException\"");
	}

	@Test
	void tagsUnmatchedPathWithItsNormalizedPath() {
		assertThat(this.http.get("/does/not/exist/123").statusCode()).isEqualTo(404);
		String scrape = this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"NoResourceFoundException\",method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\","
				+ "uri=\"/does/not/exist/{id}\"} 1\n");
		assertThat(scrape).doesNotContain("uri=\"/does/not/exist/123\"")
			.doesNotContain("uri=\"NOT_FOUND\"")
			.doesNotContain("uri=\"/**\"");
	}

	@Test
	void countsUnmatchedPathsThatDifferOnlyByIdUnderOneUri() {
		for (int id = 1; id <= 3; id++) {
			assertThat(this.http.get("/missing/accounts/" + id).statusCode()).isEqualTo(404);
		}
		String scrape = this.http.awaitScrapeContaining("status=\"404\",uri=\"/missing/accounts/{id}\"} 3\n");
		assertThat(scrape).doesNotContain("uri=\"/missing/accounts/1\"");
	}

	@Test
	void tagsUnmatchedPathWithUuidPlaceholder() {
		assertThat(this.http.get("/missing/sessions/3f2504e0-4f89-11d3-9a0c-0305e82c3301").statusCode()).isEqualTo(404);
		String scrape = this.http.awaitScrapeContaining("status=\"404\",uri=\"/missing/sessions/{uuid}\"} 1\n");
		assertThat(scrape).doesNotContain("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
	}

	@Test
	void dropsQueryStringOfUnmatchedPath() {
		assertThat(this.http.get("/missing/search?q=secret-term&page=2").statusCode()).isEqualTo(404);
		assertThat(this.http.get("/missing/search?q=other-term").statusCode()).isEqualTo(404);
		String scrape = this.http.awaitScrapeContaining("status=\"404\",uri=\"/missing/search\"} 2\n");
		assertThat(scrape).doesNotContain("secret-term", "other-term", "page=2", "/missing/search?");
	}

	@Test
	void recordsAsyncRequestOnceWithItsRealStatusAfterCompletion() {
		HttpResponse<byte[]> response = this.http.get("/async");
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(SampleController.ASYNC_BODY);
		String scrape = this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"202\",uri=\"/async\"} 1\n");
		assertThat(scrape).doesNotContainPattern("status=\"200\",uri=\"/async\"")
			.contains("http_server_response_size_bytes_sum{" + APP + ",method=\"GET\",uri=\"/async\"} "
					+ (double) SampleController.ASYNC_BODY.length() + "\n");
	}

	@Test
	void countsResponseBytesWrittenThroughWriterAsEncodedBytes() {
		HttpResponse<byte[]> response = this.http.get("/writer");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(SampleController.writerBodySize());
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(SampleController.WRITER_BODY);
		assertThat(SampleController.writerBodySize()).isEqualTo(17);
		this.http.awaitScrapeContaining(
				"http_server_response_size_bytes_sum{" + APP + ",method=\"GET\",uri=\"/writer\"} 17.0\n");
	}

	@Test
	void countsResponseBytesWrittenThroughOutputStream() {
		HttpResponse<byte[]> response = this.http.get("/stream");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(SampleController.STREAM_BODY_SIZE);
		assertThat(response.headers().firstValue("Content-Length")).hasValue("1000");
		this.http.awaitScrapeContaining(
				"http_server_response_size_bytes_sum{" + APP + ",method=\"GET\",uri=\"/stream\"} 1000.0\n");
	}

	@Test
	void keepsTheBodyOfAnExceptionHandlerIntact() {
		HttpResponse<byte[]> response = this.http.get("/partial");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("export failed");
	}

	@Test
	void reportsOnlyTheScrapeInFlight() {
		this.http.get("/orders/active");
		String scrape = this.http.awaitScrapeContaining("uri=\"/orders/{id}\"");
		// The scrape itself is in flight while the registry is written.
		assertThat(scrape).contains("http_server_requests_active{" + APP + "} 1.0\n");
	}

	@Test
	void doesNotRecordSpringObservationAsWell() {
		this.http.get("/orders/observation");
		String scrape = this.http.awaitScrapeContaining("uri=\"/orders/{id}\"");
		assertThat(scrape).doesNotContain("http_server_requests_active_seconds")
			.doesNotContain("http_server_requests_seconds_count{" + APP + ",error=");
	}

	@Test
	void servesPrometheusTextFormatByDefault() {
		HttpResponse<byte[]> response = this.http.get("/metrics");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue(TEXT_FORMAT);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("# TYPE jvm_memory_used_bytes gauge")
			.doesNotContain("# EOF");
	}

	@Test
	void servesOpenMetricsWhenAsked() {
		HttpResponse<byte[]> response = this.http.get("/metrics", "Accept",
				"application/openmetrics-text; version=1.0.0");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue(OPEN_METRICS);
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
	}

	@Test
	void servesOpenMetricsToPrometheusAcceptHeader() {
		HttpResponse<byte[]> response = this.http.get("/metrics", "Accept",
				"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
						+ "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
		assertThat(response.headers().firstValue("Content-Type")).hasValue(OPEN_METRICS);
	}

	@Test
	void servesPrometheusTextFormatWhenAskedForIt() {
		HttpResponse<byte[]> response = this.http.get("/metrics", "Accept", "text/plain;version=0.0.4");
		assertThat(response.headers().firstValue("Content-Type")).hasValue(TEXT_FORMAT);
	}

	@Test
	void tagsScrapesWithTheScrapePath() {
		this.http.get("/metrics");
		this.http.awaitScrapeContaining("http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/metrics\"}");
	}

	@Test
	void keepsActuatorPrometheusAndHealthEndpointsWorking() {
		this.http.get("/products/1");
		this.http.get("/products/2");
		String productsCount = "http_server_requests_seconds_count{" + APP
				+ ",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/products/{id}\"} 2\n";
		this.http.awaitScrapeContaining(productsCount);
		HttpResponse<byte[]> health = this.http.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("\"status\":\"UP\"");
		HttpResponse<byte[]> actuator = this.http.get("/actuator/prometheus");
		assertThat(actuator.statusCode()).isEqualTo(200);
		assertThat(new String(actuator.body(), StandardCharsets.UTF_8)).contains(productsCount)
			.contains("http_server_requests_active{" + APP + "} 1.0\n");
	}

	@Test
	void doesNotServeCardinalityEndpointUnlessExposed() {
		assertThat(this.http.get("/actuator/cardinality").statusCode()).isEqualTo(404);
	}

	@Test
	void recordsActuatorRequestsByTheirRoute() {
		assertThat(this.http.get("/actuator/health").statusCode()).isEqualTo(200);
		this.http.awaitScrapeContaining("status=\"200\",uri=\"/actuator/health\"}");
	}

}
