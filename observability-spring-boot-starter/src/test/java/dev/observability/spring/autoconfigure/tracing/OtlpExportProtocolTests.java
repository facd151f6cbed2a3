package dev.observability.spring.autoconfigure.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedSpan;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Protocol tests of the starter's OTLP export: a real application configured only through
 * {@code observability.tracing.*} (or the seeds' environment variables) sends spans to
 * {@link OtlpHttpProtocolReceiver}, which decodes the protobuf as a collector would.
 * Exports are flushed through the SDK rather than waited for, so no test sleeps.
 */
final class OtlpExportProtocolTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OtlpHttpProtocolReceiver receiver = OtlpHttpProtocolReceiver.start();

	@AfterEach
	void close() {
		this.receiver.close();
	}

	@Test
	void exportsParentAndChildSpansWithTheirAttributesAndTheServiceName() {
		Span parent;
		Span child;
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=" + this.receiver.endpoint(),
				"observability.tracing.sample-rate=1.0", "observability.tracing.service-name=protocol-test")) {
			Tracer tracer = context.getBean(Tracer.class);
			parent = tracer.spanBuilder().name("checkout").kind(Span.Kind.SERVER).start();
			child = tracer.spanBuilder().setParent(parent.context()).name("charge-card").kind(Span.Kind.CLIENT).start();
			// Tagged on the started span: the bridge keeps the types there.
			child.tag("payment.provider", "acme").tag("payment.attempt", 2L).tag("payment.retried", true);
			child.error(new IllegalStateException("card declined"));
			child.end();
			parent.end();
			flush(context);
		}
		List<ReceivedSpan> spans = this.receiver.awaitSpans(2, WAIT);
		assertThat(spans).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("checkout", "charge-card");
		ReceivedSpan checkout = named(spans, "checkout");
		ReceivedSpan chargeCard = named(spans, "charge-card");
		assertThat(checkout.traceId()).isEqualTo(parent.context().traceId());
		assertThat(checkout.spanId()).isEqualTo(parent.context().spanId());
		assertThat(checkout.parentSpanId()).as("a root span has no parent").isEmpty();
		assertThat(checkout.kind()).isEqualTo(SPAN_KIND_SERVER);
		// Micrometer's OpenTelemetry bridge ends every span without an error as OK, not
		// UNSET.
		assertThat(checkout.status()).isEqualTo(STATUS_CODE_OK);
		assertThat(chargeCard.traceId()).isEqualTo(parent.context().traceId());
		assertThat(chargeCard.spanId()).isEqualTo(child.context().spanId());
		assertThat(chargeCard.parentSpanId()).isEqualTo(parent.context().spanId());
		assertThat(chargeCard.kind()).isEqualTo(SPAN_KIND_CLIENT);
		assertThat(chargeCard.status()).isEqualTo(STATUS_CODE_ERROR);
		assertThat(chargeCard.attributes()).containsExactlyInAnyOrderEntriesOf(
				Map.of("payment.provider", "acme", "payment.attempt", 2L, "payment.retried", true));
		assertThat(spans).allSatisfy((span) -> assertThat(span.serviceName()).isEqualTo("protocol-test"));
		assertThat(this.receiver.requests()).isNotEmpty().allSatisfy((request) -> {
			assertThat(request.path()).isEqualTo("/v1/traces");
			assertThat(request.contentType()).isEqualTo("application/x-protobuf");
			assertThat(request.status()).isEqualTo(200);
		});
	}

	@Test
	void seedsEnvironmentVariablesSendSpansToTheirEndpointUnderTheirServiceName() {
		try (ConfigurableApplicationContext context = TracingApplications
			.start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", this.receiver.endpoint() + "/", "OTEL_SERVICE_NAME",
					"protocol-test-env", "TRACING_SAMPLE_RATE", "1"))) {
			context.getBean(OpenTelemetry.class).getTracer("protocol-test").spanBuilder("from-env").startSpan().end();
			flush(context);
		}
		List<ReceivedSpan> spans = this.receiver.awaitSpans(1, WAIT);
		assertThat(spans).extracting(ReceivedSpan::name, ReceivedSpan::kind, ReceivedSpan::serviceName)
			.containsExactly(tuple("from-env", SPAN_KIND_INTERNAL, "protocol-test-env"));
	}

	@Test
	void sampleRateZeroExportsNoNewTraceButFollowsACallerThatSampled() {
		Span dropped;
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=" + this.receiver.endpoint(),
				"observability.tracing.sample-rate=0", "observability.tracing.service-name=protocol-test")) {
			dropped = context.getBean(Tracer.class).nextSpan().name("new-trace").start();
			dropped.end();
			// A span continuing a sampled caller's trace is exported whatever the rate:
			// it shows that this application's exporter works, so that the absence of
			// "new-trace" below means "not sampled", not "nothing could be sent".
			SpanContext caller = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
					"b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
			context.getBean(OpenTelemetry.class)
				.getTracer("protocol-test")
				.spanBuilder("continued-trace")
				.setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(caller)))
				.startSpan()
				.end();
			flush(context);
		}
		assertThat(dropped.context().sampled()).isFalse();
		assertThat(this.receiver.awaitSpans(1, WAIT)).extracting(ReceivedSpan::name, ReceivedSpan::parentSpanId)
			.containsExactly(tuple("continued-trace", "b7ad6b7169203331"));
	}

	private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
		return spans.stream().filter((span) -> span.name().equals(name)).findFirst().orElseThrow();
	}

	/** Exports what the batch processor holds and waits for the receiver's answer. */
	private static void flush(ConfigurableApplicationContext context) {
		assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(5, TimeUnit.SECONDS).isSuccess())
			.as("flush answered with success")
			.isTrue();
	}

}
