package dev.observability.spring.autoconfigure.http;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.normalization.PathNormalizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the tracing part of {@link HttpServerMetricsFilter}: a broken tracer costs
 * the request its span, never its answer or its metrics.
 */
class HttpServerMetricsFilterTracingTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void tracerThatThrowsLeavesTheRequestAndItsMetricsAlone() throws Exception {
		Tracer broken = (name) -> {
			throw new IllegalStateException("tracer broken");
		};
		AtomicBoolean handled = new AtomicBoolean();
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter(new HttpServerSpans(broken, TextMapPropagator.noop())).doFilter(get("/items/1"), response,
				new MockFilterChain(new HttpServlet() {

					@Override
					protected void service(HttpServletRequest request, HttpServletResponse answer) {
						handled.set(true);
						answer.setStatus(200);
					}

				}));
		assertThat(handled).isTrue();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.registry.get("http.server.requests").timer().count()).isOne();
	}

	@Test
	void spanIsCurrentDuringTheChainAndEndedAfterIt() throws Exception {
		InMemorySpanExporter exporter = InMemorySpanExporter.create();
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(exporter))
			.build()) {
			AtomicBoolean currentInChain = new AtomicBoolean();
			filter(new HttpServerSpans(provider.get("test"), TextMapPropagator.noop())).doFilter(get("/items/2"),
					new MockHttpServletResponse(),
					(request, response) -> currentInChain.set(Span.current().getSpanContext().isValid()));
			assertThat(currentInChain).isTrue();
			assertThat(Span.current().getSpanContext().isValid()).as("current after").isFalse();
			assertThat(exporter.getFinishedSpanItems()).singleElement()
				.satisfies((span) -> assertThat(span.getName()).isEqualTo("GET"));
		}
	}

	private HttpServerMetricsFilter filter(HttpServerSpans spans) {
		return new HttpServerMetricsFilter(HttpServerMetrics.builder(this.registry).build(), PathNormalizer.create(),
				null, false, spans);
	}

	private static MockHttpServletRequest get(String path) {
		return new MockHttpServletRequest("GET", path);
	}

}
