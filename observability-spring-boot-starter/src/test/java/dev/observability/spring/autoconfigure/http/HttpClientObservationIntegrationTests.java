package dev.observability.spring.autoconfigure.http;

import java.net.URI;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link NormalizingClientRequestObservationConvention} through Spring Boot's
 * own {@code RestClient.Builder}, calling the sample app on a real port.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=client-sample",
				"observability.metrics.cardinality.overrides[http.client.requests].max-values-per-tag=3" })
// The tests share a budget of 3 client uris: a fresh application per test keeps them
// apart.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
final class HttpClientObservationIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RestClient.Builder restClientBuilder;

	@Autowired
	private MeterRegistry registry;

	@Test
	void requestWithoutTemplateIsTaggedWithItsNormalizedPathInsteadOfNone() {
		RestClient client = this.restClientBuilder.build();
		client.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + "/items/123?expand=all"))
			.retrieve()
			.toBodilessEntity();
		client.get().uri(URI.create("http://127.0.0.1:" + this.port + "/items/456")).retrieve().toBodilessEntity();

		assertThat(clientTimer("/items/{id}").count()).isEqualTo(2);
		assertThat(this.registry.find("http.client.requests").tag("uri", "none").timer()).isNull();
	}

	@Test
	void requestWithTemplateKeepsTheTemplate() {
		this.restClientBuilder.build()
			.get()
			.uri("http://127.0.0.1:{port}/orders/{order}", this.port, 42)
			.retrieve()
			.toBodilessEntity();

		assertThat(clientTimer("/orders/{order}").count()).isEqualTo(1);
	}

	@Test
	void normalizedClientPathsStayWithinTheirBudget() {
		RestClient client = this.restClientBuilder.build();
		for (String product : new String[] { "alpha", "beta", "gamma", "delta", "epsilon" }) {
			client.get()
				.uri(URI.create("http://127.0.0.1:" + this.port + "/products/" + product))
				.retrieve()
				.toBodilessEntity();
		}

		assertThat(this.registry.find("http.client.requests").timers())
			.filteredOn((timer) -> timer.getId().getTag("uri").startsWith("/products/"))
			.hasSizeLessThanOrEqualTo(3);
		assertThat(clientTimer("__overflow__").count()).isGreaterThanOrEqualTo(2);
	}

	private Timer clientTimer(String uri) {
		// The client observation stops after the response is read; poll briefly rather
		// than race it.
		return await().until(() -> this.registry.find("http.client.requests").tag("uri", uri).timer(),
				(timer) -> timer != null);
	}

}
