package dev.observability.spring.autoconfigure.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server spans on a real port: the starter's filter starts them with Boot's OpenTelemetry
 * SDK, with the semantic-convention attributes, the caller's trace continued, Micrometer
 * observations and log lines inside the request attached to it, and management endpoints
 * left out.
 */
@SpringBootTest(classes = { SampleApplication.class, HttpServerSpansIntegrationTests.Probe.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=traced-service", "observability.tracing.enabled=true",
				"observability.tracing.exporter=none", "observability.tracing.sample-rate=1.0",
				"observability.tracing.sampling.rules[0].path=/never/**",
				"observability.tracing.sampling.rules[0].rate=0.0",
				"management.endpoints.web.exposure.include=health" })
final class HttpServerSpansIntegrationTests {

	private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CALLER_SPAN = "00f067aa0ba902b7";

	@LocalServerPort
	private int port;

	@Autowired
	private InMemorySpanExporter exporter;

	@Autowired
	private SdkTracerProvider tracerProvider;

	@Autowired
	private StartedServerSpans startedServerSpans;

	private SampleHttpClient http;

	@BeforeEach
	void reset() {
		this.http = new SampleHttpClient(this.port);
		flush();
		this.exporter.reset();
	}

	@Test
	void serverSpanCarriesTheSemanticConventionAttributes() {
		assertThat(this.http.get("/items/7").statusCode()).isEqualTo(200);
		SpanData span = awaitServerSpan("/items/7");
		assertThat(span.getName()).isEqualTo("GET /items/{id}");
		assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
		assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/items/{id}");
		assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("url.scheme"))).isEqualTo("http");
		assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isNotBlank();
		assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) this.port);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		assertThat(span.getParentSpanContext().isValid()).isFalse();
		assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("traced-service");
	}

	@Test
	void spanProcessorsSeeTheMethodAndPathWhenTheServerSpanStarts() {
		// The semantic conventions give samplers and processors these two at creation.
		assertThat(this.http.get("/items/8").statusCode()).isEqualTo(200);
		awaitServerSpan("/items/8");
		assertThat(this.startedServerSpans.attributes()).anySatisfy((attributes) -> assertThat(attributes.asMap())
			.containsEntry(AttributeKey.stringKey("url.path"), "/items/8")
			.containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
			.doesNotContainKey(AttributeKey.stringKey("http.route")));
	}

	@Test
	void continuesTheCallersTrace() {
		this.http.get("/items/8", "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
		SpanData span = awaitServerSpan("/items/8");
		assertThat(span.getTraceId()).isEqualTo(CALLER_TRACE);
		assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
		assertThat(span.getParentSpanContext().isRemote()).isTrue();
	}

	@Test
	void followsTheCallersDecisionNotToSample() {
		this.http.get("/items/9", "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-00");
		this.http.get("/items/10");
		awaitServerSpan("/items/10");
		assertThat(serverSpans("/items/9")).isEmpty();
	}

	@Test
	void workInsideTheRequestIsAChildOfTheServerSpan() {
		String body = this.http.getText("/probe");
		SpanData server = awaitServerSpan("/probe");
		SpanData child = await().atMost(Duration.ofSeconds(10))
			.until(() -> finished("probe.work"), (spans) -> !spans.isEmpty())
			.get(0);
		assertThat(child.getParentSpanId()).isEqualTo(server.getSpanId());
		assertThat(child.getTraceId()).isEqualTo(server.getTraceId());
		// What the controller saw: Micrometer's current span, and the log's MDC.
		assertThat(body).isEqualTo(server.getTraceId() + "," + server.getSpanId() + "," + server.getTraceId());
	}

	@Test
	void exceptionMakesAnErrorSpan() {
		assertThat(this.http.get("/throws").statusCode()).isEqualTo(500);
		SpanData span = awaitServerSpan("/throws");
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
		assertThat(span.getEvents()).anySatisfy((event) -> assertThat(event.getName()).isEqualTo("exception"));
	}

	@Test
	void serverErrorWithoutExceptionIsAnErrorByStatus() {
		assertThat(this.http.get("/fails").statusCode()).isEqualTo(500);
		SpanData span = awaitServerSpan("/fails");
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("500");
	}

	@Test
	void clientErrorIsNotAServerError() {
		assertThat(this.http.get("/no/such/path").statusCode()).isEqualTo(404);
		SpanData span = awaitServerSpan("/no/such/path");
		assertThat(span.getName()).isEqualTo("GET");
		assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isNull();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
	}

	@Test
	void asyncRequestEndsItsSpanWhenItCompletes() {
		assertThat(this.http.get("/async").statusCode()).isEqualTo(202);
		SpanData span = awaitServerSpan("/async");
		assertThat(span.getName()).isEqualTo("GET /async");
		assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(202L);
		assertThat(span.getEndEpochNanos() - span.getStartEpochNanos())
			.isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

	@Test
	void managementEndpointsAndRulesOfRateZeroAreNeverTraced() {
		String sampledCaller = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
		assertThat(this.http.get("/actuator/health", "traceparent", sampledCaller).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/metrics", "traceparent", sampledCaller).statusCode()).isEqualTo(200);
		assertThat(this.http.get("/never/here", "traceparent", sampledCaller).statusCode()).isEqualTo(404);
		this.http.get("/items/11");
		awaitServerSpan("/items/11");
		assertThat(serverSpans("/actuator/health")).isEmpty();
		assertThat(serverSpans("/metrics")).isEmpty();
		assertThat(serverSpans("/never/here")).isEmpty();
	}

	@Test
	void latencyHistogramNamesTheTraceAsExemplar() {
		this.http.get("/orders/1");
		SpanData span = awaitServerSpan("/orders/1");
		String scrape = this.http.getText("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("http_server_requests_seconds_bucket{")
					&& line.contains("uri=\"/orders/{id}\"") && line.contains(" # {")))
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(line).contains("trace_id=\"" + span.getTraceId() + "\"")
				.contains("span_id=\"" + span.getSpanId() + "\""));
	}

	private SpanData awaitServerSpan(String path) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> serverSpans(path), (spans) -> !spans.isEmpty())
			.get(0);
	}

	private List<SpanData> serverSpans(String path) {
		flush();
		return this.exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getKind() == SpanKind.SERVER)
			.filter((span) -> path.equals(span.getAttributes().get(AttributeKey.stringKey("url.path"))))
			.toList();
	}

	private List<SpanData> finished(String name) {
		flush();
		return this.exporter.getFinishedSpanItems().stream().filter((span) -> name.equals(span.getName())).toList();
	}

	private void flush() {
		this.tracerProvider.forceFlush().join(5, TimeUnit.SECONDS);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(Probe.ProbeController.class)
	static class Probe {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		StartedServerSpans startedServerSpans() {
			return new StartedServerSpans(new CopyOnWriteArrayList<>());
		}

		@RestController
		static class ProbeController {

			private final Tracer tracer;

			private final ObservationRegistry observations;

			ProbeController(Tracer tracer, ObservationRegistry observations) {
				this.tracer = tracer;
				this.observations = observations;
			}

			@GetMapping("/probe")
			String probe() {
				Observation.createNotStarted("probe.work", this.observations).observe(() -> {
				});
				var current = this.tracer.currentSpan();
				return current.context().traceId() + "," + current.context().spanId() + "," + MDC.get("traceId");
			}

		}

	}

	/**
	 * The attributes each server span had when it started, as span processors see them.
	 */
	record StartedServerSpans(List<Attributes> attributes) implements SpanProcessor {

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
			if (span.getKind() == SpanKind.SERVER) {
				this.attributes.add(span.toSpanData().getAttributes());
			}
		}

		@Override
		public boolean isStartRequired() {
			return true;
		}

		@Override
		public void onEnd(ReadableSpan span) {
		}

		@Override
		public boolean isEndRequired() {
			return false;
		}

	}

}
