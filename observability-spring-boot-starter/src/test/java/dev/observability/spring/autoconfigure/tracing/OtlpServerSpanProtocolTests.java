package dev.observability.spring.autoconfigure.tracing;

import java.time.Duration;
import java.util.List;

import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protocol test of the HTTP server span: a request on a real port, exported by Boot's
 * OTLP exporter and decoded from the protobuf an OTLP/HTTP receiver gets.
 */
final class OtlpServerSpanProtocolTests {

	@Test
	void serverSpanArrivesWithItsSemanticConventionAttributes() {
		try (OtlpHttpProtocolReceiver receiver = OtlpHttpProtocolReceiver.start();
				ConfigurableApplicationContext context = new SpringApplication(SampleApplication.class).run(
						"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
						"--spring.application.name=otlp-server-spans", "--observability.tracing.sample-rate=1.0",
						"--observability.tracing.otlp.endpoint=" + receiver.endpoint(),
						"--management.opentelemetry.tracing.export.schedule-delay=100ms")) {
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			assertThat(new SampleHttpClient(port).get("/products/3").statusCode()).isEqualTo(200);
			assertServerSpan(receiver, port);
		}
	}

	private static void assertServerSpan(OtlpHttpProtocolReceiver receiver, int port) {
		List<ReceivedSpan> spans = receiver.awaitSpans(
				(received) -> received.stream().anyMatch((span) -> span.kind() == SpanKind.SPAN_KIND_SERVER),
				Duration.ofSeconds(20));
		ReceivedSpan server = spans.stream()
			.filter((span) -> span.kind() == SpanKind.SPAN_KIND_SERVER)
			.findFirst()
			.orElseThrow();
		assertThat(server.name()).isEqualTo("GET /products/{id}");
		assertThat(server.serviceName()).isEqualTo("otlp-server-spans");
		assertThat(server.parentSpanId()).isEmpty();
		assertThat(server.attributes()).containsEntry("http.request.method", "GET")
			.containsEntry("http.route", "/products/{id}")
			.containsEntry("url.path", "/products/3")
			.containsEntry("url.scheme", "http")
			.containsEntry("http.response.status_code", 200L)
			.containsEntry("server.port", (long) port);
	}

}
