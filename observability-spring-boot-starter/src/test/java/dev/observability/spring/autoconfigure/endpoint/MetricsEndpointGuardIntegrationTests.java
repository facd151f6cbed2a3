package dev.observability.spring.autoconfigure.endpoint;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the guards of {@link MetricsScrapeServlet} on a real port. Each test starts
 * its own application, so that the start-up logs it checks are its own.
 */
@ExtendWith(OutputCaptureExtension.class)
final class MetricsEndpointGuardIntegrationTests {

	private static final String TOKEN = "t0ken-9f8e7d6c";

	private static final String PASSWORD = "pa55-w0rd-1b2c";

	@Test
	void requiresBearerToken(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("observability.metrics.endpoint.token=" + TOKEN)) {
			SampleHttpClient http = client(context);
			HttpResponse<byte[]> anonymous = http.get("/metrics");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"metrics\"");
			assertThat(body(anonymous)).isEqualTo("Unauthorized\n");
			assertThat(http.get("/metrics", "Authorization", "Bearer wrong-token").statusCode()).isEqualTo(401);
			assertThat(http.get("/metrics", "Authorization", basic("prometheus", TOKEN)).statusCode()).isEqualTo(401);
			HttpResponse<byte[]> authorized = http.get("/metrics", "Authorization", "Bearer " + TOKEN);
			assertThat(authorized.statusCode()).isEqualTo(200);
			assertThat(body(authorized)).contains("# TYPE jvm_memory_used_bytes gauge");
		}
		assertThat(output).contains("Tomcat started on port").doesNotContain(TOKEN);
	}

	@Test
	void recordsRejectedScrapes() {
		try (ConfigurableApplicationContext context = start("observability.metrics.endpoint.token=" + TOKEN)) {
			SampleHttpClient http = client(context);
			http.get("/metrics");
			http.get("/metrics", "Authorization", "Bearer wrong-token");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(http.getText("/metrics", "Authorization", "Bearer " + TOKEN))
					.contains("http_server_requests_seconds_count{application=\"application\",exception=\"none\","
							+ "method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"401\",uri=\"/metrics\"} 2\n"));
		}
	}

	@Test
	void guardsOnlyTheScrapeEndpoint() {
		try (ConfigurableApplicationContext context = start("observability.metrics.endpoint.token=" + TOKEN,
				"observability.metrics.endpoint.allowed-addresses=10.0.0.0/8")) {
			HttpResponse<byte[]> item = client(context).get("/items/1");
			assertThat(item.statusCode()).isEqualTo(200);
			assertThat(body(item)).isEqualTo("item 1");
		}
	}

	@Test
	void requiresBasicCredentials(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(
				"observability.metrics.endpoint.basic-auth.username=prometheus",
				"observability.metrics.endpoint.basic-auth.password=" + PASSWORD)) {
			SampleHttpClient http = client(context);
			HttpResponse<byte[]> anonymous = http.get("/metrics");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().allValues("WWW-Authenticate"))
				.containsExactly("Basic realm=\"metrics\", charset=\"UTF-8\"");
			assertThat(http.get("/metrics", "Authorization", basic("prometheus", "wrong")).statusCode()).isEqualTo(401);
			assertThat(http.get("/metrics", "Authorization", basic("grafana", PASSWORD)).statusCode()).isEqualTo(401);
			assertThat(http.get("/metrics", "Authorization", "Basic %%%").statusCode()).isEqualTo(401);
			HttpResponse<byte[]> authorized = http.get("/metrics", "Authorization", basic("prometheus", PASSWORD));
			assertThat(authorized.statusCode()).isEqualTo(200);
			assertThat(body(authorized)).contains("# TYPE jvm_memory_used_bytes gauge");
		}
		assertThat(output).contains("Tomcat started on port").doesNotContain(PASSWORD);
	}

	@Test
	void acceptsEitherCredentialWhenBothAreConfigured() {
		try (ConfigurableApplicationContext context = start("observability.metrics.endpoint.token=" + TOKEN,
				"observability.metrics.endpoint.basic-auth.username=prometheus",
				"observability.metrics.endpoint.basic-auth.password=" + PASSWORD)) {
			SampleHttpClient http = client(context);
			HttpResponse<byte[]> anonymous = http.get("/metrics");
			assertThat(anonymous.statusCode()).isEqualTo(401);
			assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"metrics\"",
					"Basic realm=\"metrics\", charset=\"UTF-8\"");
			assertThat(http.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
			assertThat(http.get("/metrics", "Authorization", basic("prometheus", PASSWORD)).statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void forbidsAddressesOutsideAllowedRanges() {
		try (ConfigurableApplicationContext context = start(
				"observability.metrics.endpoint.allowed-addresses=10.0.0.0/8")) {
			HttpResponse<byte[]> response = client(context).get("/metrics");
			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(body(response)).isEqualTo("Forbidden\n");
			assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
		}
	}

	@Test
	void allowsAddressesInsideAllowedRanges() {
		try (ConfigurableApplicationContext context = start(
				"observability.metrics.endpoint.allowed-addresses=192.168.0.0/16,127.0.0.0/8")) {
			HttpResponse<byte[]> response = client(context).get("/metrics");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(body(response)).contains("# TYPE jvm_memory_used_bytes gauge");
		}
	}

	/**
	 * Starts the sample application on a free port, with debug logging so that a secret
	 * logged at any level would show up in the captured output.
	 */
	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(SampleApplication.class).properties(properties)
			.properties("server.port=0", "logging.level.dev.observability=trace")
			.run("--debug");
	}

	private static SampleHttpClient client(ConfigurableApplicationContext context) {
		return new SampleHttpClient(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	private static String body(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	private static String basic(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
