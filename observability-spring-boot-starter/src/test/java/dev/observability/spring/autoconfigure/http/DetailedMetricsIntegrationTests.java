package dev.observability.spring.autoconfigure.http;

import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import dev.observability.spring.autoconfigure.sample.Scrape;
import dev.observability.spring.autoconfigure.sample.Scrape.Sample;
import dev.observability.spring.autoconfigure.sample.SecuredSampleApplication;
import dev.observability.spring.http.RequestIdentityResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.NestedTestConfiguration;
import org.springframework.test.context.NestedTestConfiguration.EnclosingConfiguration;

import static dev.observability.spring.autoconfigure.sample.SecuredSampleApplication.ALICE;
import static dev.observability.spring.autoconfigure.sample.SecuredSampleApplication.BOB;
import static dev.observability.spring.autoconfigure.sample.SecuredSampleApplication.CAROL;
import static dev.observability.spring.autoconfigure.sample.SecuredSampleApplication.DAVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for detailed HTTP server metrics ({@code observability.metrics.detailed.enabled})
 * behind Spring Security on a real port, asserting on the scrape text a Prometheus server
 * would read. Each test uses its own routes, so the counts are exact whatever order the
 * tests run in.
 * <p>
 * The budget of 3 users is shared by the whole application: {@code alice}, {@code bob}
 * and {@code none} fill it, and only the overflow test sends {@code carol} and
 * {@code dave}, once the other three are known to be in.
 */
@SpringBootTest(classes = SecuredSampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=secured-service", "observability.metrics.detailed.enabled=true",
				"observability.metrics.detailed.max-users=3" })
final class DetailedMetricsIntegrationTests {

	private static final String APP = "application=\"secured-service\"";

	private static final String NONE = "none";

	private static final String OVERFLOW = CardinalityLimiter.OVERFLOW_VALUE;

	private static final String ORG_HEADER = "X-Org";

	private static final String FAIL_HEADER = "X-Fail-Identity";

	/**
	 * The families whose series carry a {@code uri}, and so {@code user} and {@code org},
	 * by sample name.
	 */
	private static final List<String> IDENTITY_SAMPLES = List.of("http_server_requests_seconds_count",
			"http_server_requests_seconds_sum", "http_server_requests_seconds_max",
			"http_server_requests_seconds_bucket", "http_server_response_size_bytes_count",
			"http_server_response_size_bytes_sum", "http_server_response_size_bytes_max",
			"http_server_response_size_bytes_bucket", "http_server_request_size_bytes_count",
			"http_server_exceptions_total");

	@LocalServerPort
	private int port;

	private SampleHttpClient http;

	@BeforeEach
	void createClient() {
		this.http = new SampleHttpClient(this.port);
	}

	@Test
	void tagsRequestsWithTheAuthenticatedUser() {
		assertThat(get(this.http, "/items/1", ALICE).statusCode()).isEqualTo(200);
		assertThat(get(this.http, "/items/2", ALICE).statusCode()).isEqualTo(200);
		assertThat(get(this.http, "/items/3", BOB).statusCode()).isEqualTo(200);
		// Sizes are recorded just after counts: both are awaited.
		String scrape = awaitScrapeContaining(this.http, requests("/items/{id}", 200, ALICE, NONE) + " 2\n",
				requests("/items/{id}", 200, BOB, NONE) + " 1\n", responseSizes("/items/{id}", ALICE, NONE) + " 2\n",
				responseSizes("/items/{id}", BOB, NONE) + " 1\n");
		assertThat(Scrape.parse(scrape).labelValues("http_server_requests_seconds_count", "user")).doesNotContain(CAROL,
				DAVE);
	}

	@Test
	void recordsRejectedRequestWithoutUserUnderTheRouteTemplate() {
		assertThat(get(this.http, "/orders/1", ALICE).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/orders/2").statusCode()).isEqualTo(401);
		String scrape = awaitScrapeContaining(this.http, requests("/orders/{id}", 200, ALICE, NONE) + " 1\n",
				"http_server_requests_seconds_count{" + APP
						+ ",exception=\"none\",method=\"GET\",org=\"none\",outcome=\"CLIENT_ERROR\",status=\"401\","
						+ "uri=\"/orders/{id}\",user=\"none\"} 1\n");
		assertThat(scrape).doesNotContain("uri=\"/orders/2\"");
	}

	@Test
	void foldsUsersBeyondTheBudgetIntoOverflow() {
		// alice, bob and none fill the budget of 3, whatever ran before; the awaited
		// scrape proves they are in before carol and dave come.
		assertThat(get(this.http, "/products/1", ALICE).statusCode()).isEqualTo(200);
		assertThat(get(this.http, "/products/2", BOB).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/products/3").statusCode()).isEqualTo(401);
		String filled = awaitScrapeContaining(this.http, requests("/products/{id}", 200, ALICE, NONE) + " 1\n",
				requests("/products/{id}", 200, BOB, NONE) + " 1\n",
				"outcome=\"CLIENT_ERROR\",status=\"401\",uri=\"/products/{id}\",user=\"none\"} 1\n");
		double overflowsBefore = Scrape.parse(filled).overflows("http.server.requests", "user");

		assertThat(get(this.http, "/products/4", CAROL).statusCode()).isEqualTo(200);
		assertThat(get(this.http, "/products/5", CAROL).statusCode()).isEqualTo(200);
		assertThat(get(this.http, "/products/6", DAVE).statusCode()).isEqualTo(200);
		String scrape = awaitScrapeContaining(this.http, requests("/products/{id}", 200, OVERFLOW, NONE) + " 3\n");
		Scrape parsed = Scrape.parse(scrape);
		assertThat(parsed.overflows("http.server.requests", "user") - overflowsBefore).isEqualTo(3);
		assertThat(scrape).contains(
				"observability_cardinality_overflow_total{" + APP + ",metric=\"http.server.requests\",tag=\"user\"} ");
		assertThat(scrape).doesNotContain("user=\"carol\"", "user=\"dave\"");
		Map<String, Double> byUser = countsByUser(parsed, "/products/{id}");
		assertThat(byUser).containsOnlyKeys(ALICE, BOB, NONE, OVERFLOW);
		assertThat(byUser.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(6);
	}

	@Test
	void everyHttpServerSeriesCarriesUserAndOrg() {
		assertThat(get(this.http, "/throws", ALICE).statusCode()).isEqualTo(500);
		assertThat(get(this.http, "/writer", BOB).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/fails").statusCode()).isEqualTo(401);
		String scrape = awaitScrapeContaining(this.http,
				"http_server_exceptions_total{" + APP
						+ ",exception=\"IllegalStateException\",method=\"GET\",org=\"none\",uri=\"/throws\","
						+ "user=\"alice\"} 1.0\n",
				requests("/writer", 200, BOB, NONE) + " 1\n", "status=\"401\",uri=\"/fails\",user=\"none\"} 1\n");
		Scrape parsed = Scrape.parse(scrape);
		for (String name : IDENTITY_SAMPLES) {
			List<Sample> samples = parsed.samples(name);
			assertThat(samples).as(name).isNotEmpty();
			Set<String> keys = samples.get(0).labels().keySet();
			assertThat(keys).as("label keys of %s", name).contains("user", "org", "uri");
			assertThat(samples).as("series of %s", name)
				.allSatisfy((sample) -> assertThat(sample.labels().keySet()).isEqualTo(keys));
		}
	}

	private static Map<String, Double> countsByUser(Scrape scrape, String uri) {
		Map<String, Double> counts = new LinkedHashMap<>();
		for (Sample sample : scrape.samples("http_server_requests_seconds_count")) {
			if (uri.equals(sample.labels().get("uri"))) {
				counts.merge(sample.labels().get("user"), sample.value(), Double::sum);
			}
		}
		return counts;
	}

	private static HttpResponse<byte[]> get(SampleHttpClient http, String path, String user, String... headers) {
		List<String> all = new ArrayList<>(List.of("Authorization", SecuredSampleApplication.basicAuthorization(user)));
		all.addAll(List.of(headers));
		return http.get(path, all.toArray(String[]::new));
	}

	/** A request count line without exception, up to its value. */
	private static String requests(String uri, int status, String user, String org) {
		return "http_server_requests_seconds_count{" + APP + ",exception=\"none\",method=\"GET\",org=\"" + org
				+ "\",outcome=\"" + ((status < 400) ? "SUCCESS" : "CLIENT_ERROR") + "\",status=\"" + status
				+ "\",uri=\"" + uri + "\",user=\"" + user + "\"}";
	}

	/** A response size count line, up to its value. */
	private static String responseSizes(String uri, String user, String org) {
		return "http_server_response_size_bytes_count{" + APP + ",method=\"GET\",org=\"" + org + "\",uri=\"" + uri
				+ "\",user=\"" + user + "\"}";
	}

	/**
	 * Scrapes until the text holds every fragment, for at most 5 seconds: a request is
	 * recorded after its response may already have reached the client.
	 */
	private static String awaitScrapeContaining(SampleHttpClient http, String... expected) {
		String[] last = new String[1];
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			last[0] = http.getText("/metrics");
			assertThat(last[0]).contains(expected);
		});
		return last[0];
	}

	/**
	 * A {@link RequestIdentityResolver} of the application's own, as its javadoc shows
	 * one: the organisation comes from a header.
	 */
	@Nested
	@NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(classes = { SecuredSampleApplication.class, TenantIdentityConfiguration.class },
			webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.application.name=secured-service", "observability.metrics.detailed.enabled=true",
					"observability.metrics.detailed.max-users=3" })
	@ExtendWith(OutputCaptureExtension.class)
	class CustomResolver {

		@LocalServerPort
		private int tenantPort;

		private SampleHttpClient tenantHttp;

		@BeforeEach
		void createClient() {
			this.tenantHttp = new SampleHttpClient(this.tenantPort);
		}

		@Test
		void tagsRequestsWithTheOrgItResolves() {
			assertThat(get(this.tenantHttp, "/items/1", ALICE, ORG_HEADER, "acme").statusCode()).isEqualTo(200);
			assertThat(get(this.tenantHttp, "/items/2", ALICE, ORG_HEADER, "acme").statusCode()).isEqualTo(200);
			assertThat(get(this.tenantHttp, "/items/3", BOB).statusCode()).isEqualTo(200);
			awaitScrapeContaining(this.tenantHttp, requests("/items/{id}", 200, ALICE, "acme") + " 2\n",
					requests("/items/{id}", 200, BOB, NONE) + " 1\n",
					responseSizes("/items/{id}", ALICE, "acme") + " 2\n");
		}

		@Test
		void recordsRequestWithoutIdentityWhenItFails(CapturedOutput output) {
			assertThat(get(this.tenantHttp, "/orders/1", ALICE, FAIL_HEADER, "true").statusCode()).isEqualTo(200);
			assertThat(get(this.tenantHttp, "/orders/2", ALICE, FAIL_HEADER, "true").statusCode()).isEqualTo(200);
			String scrape = awaitScrapeContaining(this.tenantHttp, requests("/orders/{id}", 200, NONE, NONE) + " 2\n");
			assertThat(scrape).doesNotContain("uri=\"/orders/{id}\",user=\"alice\"");
			String warning = "RequestIdentityResolver " + TenantIdentityResolver.class.getName() + " failed";
			assertThat(output.getAll().split(Pattern.quote(warning), -1)).hasSize(2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantIdentityConfiguration {

		@Bean
		RequestIdentityResolver tenantIdentityResolver() {
			return new TenantIdentityResolver();
		}

	}

	/**
	 * The user from the servlet API, the organisation from {@code X-Org}; fails when
	 * asked to by {@code X-Fail-Identity}.
	 */
	static final class TenantIdentityResolver implements RequestIdentityResolver {

		@Override
		public @Nullable String user(HttpServletRequest request) {
			if (request.getHeader(FAIL_HEADER) != null) {
				throw new IllegalStateException("Identity service unavailable");
			}
			Principal principal = request.getUserPrincipal();
			return (principal != null) ? principal.getName() : null;
		}

		@Override
		public @Nullable String org(HttpServletRequest request) {
			return request.getHeader(ORG_HEADER);
		}

	}

}
