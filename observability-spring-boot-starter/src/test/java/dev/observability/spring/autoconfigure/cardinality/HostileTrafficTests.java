package dev.observability.spring.autoconfigure.cardinality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.spring.autoconfigure.sample.PipelinedHttpClient;
import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import dev.observability.spring.autoconfigure.sample.Scrape;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Floods a running application with unique paths over HTTP and with unique tag values, as
 * a scanner or a bug would, and checks that the series stay within the budgets while the
 * totals stay right.
 * <p>
 * The 404s are answered by Spring MVC's problem details instead of a static resource
 * lookup and an error page dispatch: both cost far more than the metrics and would only
 * slow the flood down.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=hostile", "spring.web.resources.add-mappings=false",
				"spring.mvc.problemdetails.enabled=true", "server.tomcat.max-keep-alive-requests=-1" })
// Each test floods the limiter: a fresh application per test keeps their budgets apart.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
final class HostileTrafficTests {

	private static final int REQUESTS = 200_000;

	private static final int TAG_VALUES = 200_000;

	private static final int CLIENTS = 4;

	private static final int BATCH = 32;

	private static final int BUDGET = 100;

	private static final String OVERFLOW = CardinalityLimiter.OVERFLOW_VALUE;

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Test
	@Timeout(value = 180, unit = TimeUnit.SECONDS)
	void keepsSeriesBoundedAndTotalsRightUnderAFloodOfUniquePathsAndTagValues() throws Exception {
		AtomicInteger notFound = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(CLIENTS + 1);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (int client = 0; client < CLIENTS; client++) {
				int first = client * (REQUESTS / CLIENTS);
				work.add(executor.submit(() -> sendUniquePaths(first, REQUESTS / CLIENTS, notFound)));
			}
			work.add(executor.submit(() -> countUniqueTagValues("demo.hostile", TAG_VALUES)));
			for (Future<?> future : work) {
				future.get(150, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(notFound).hasValue(REQUESTS);
		SampleHttpClient http = new SampleHttpClient(this.port);
		AtomicInteger scrapes = new AtomicInteger();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			int earlierScrapes = scrapes.getAndIncrement();
			Scrape scrape = Scrape.parse(http.getText("/metrics"));
			assertThat(scrape.sum("http_server_requests_seconds_count", "status", "404")).isEqualTo(REQUESTS);
			assertThat(scrape.sum("http_server_requests_seconds_count")).isEqualTo(REQUESTS + earlierScrapes);
			// The unmatched paths spend the budget; the scrape's own route (/metrics)
			// does not.
			assertThat(scrape.labelValues("http_server_requests_seconds_count", "uri"))
				.filteredOn((uri) -> uri.startsWith("/scan/"))
				.hasSize(BUDGET);
			assertThat(scrape.labelValues("http_server_requests_seconds_count", "uri")).contains(OVERFLOW, "/metrics")
				.hasSize(BUDGET + 2);
			double overflowed = scrape.sum("http_server_requests_seconds_count", "uri", OVERFLOW);
			assertThat(overflowed).isGreaterThanOrEqualTo(REQUESTS - BUDGET);
			assertThat(scrape.overflows("http.server.requests", "uri")).isEqualTo(overflowed);
			assertThat(scrape.samples("demo_hostile_total")).hasSize(BUDGET + 1);
			assertThat(scrape.sum("demo_hostile_total")).isEqualTo(TAG_VALUES);
			assertThat(scrape.sum("demo_hostile_total", "value", OVERFLOW)).isEqualTo(TAG_VALUES - BUDGET);
			assertThat(scrape.overflows("demo.hostile", "value")).isEqualTo(TAG_VALUES - BUDGET);
		});
		assertThat(this.registry.getMeters()).hasSizeLessThan(2000);
	}

	@Test
	void keepsRouteTemplatesAfterAFloodOfUnmatchedPaths() throws IOException {
		sendUniquePaths(REQUESTS, 2 * BUDGET, new AtomicInteger());
		SampleHttpClient http = new SampleHttpClient(this.port);
		assertThat(http.get("/items/flooded").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(http.getText("/metrics")).contains("status=\"200\",uri=\"/items/{id}\"}"));
	}

	private void sendUniquePaths(int first, int count, AtomicInteger notFound) {
		String salt = Segments.letters(ThreadLocalRandom.current().nextInt(1 << 20));
		try (PipelinedHttpClient client = new PipelinedHttpClient(this.port)) {
			List<String> batch = new ArrayList<>(BATCH);
			for (int i = first; i < first + count; i++) {
				batch.add("/scan/" + salt + "/" + Segments.letters(i));
				if (batch.size() == BATCH || i == first + count - 1) {
					for (int status : client.get(batch)) {
						if (status == 404) {
							notFound.incrementAndGet();
						}
					}
					batch.clear();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void countUniqueTagValues(String metric, int count) {
		for (int i = 0; i < count; i++) {
			this.registry.counter(metric, "value", "v" + i, "region", "eu").increment();
		}
	}

}
