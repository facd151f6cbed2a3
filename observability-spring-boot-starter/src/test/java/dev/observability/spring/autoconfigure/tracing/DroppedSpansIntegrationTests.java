package dev.observability.spring.autoconfigure.tracing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;

import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backend-down tests: a real application exports over OTLP/HTTP to an
 * {@link OtlpHttpProtocolReceiver} that refuses, never answers, or is not there, and
 * {@code observability.tracing.spans.dropped} must account for the spans that did not
 * arrive. The OTLP exporter retries refused and failed exports until its timeout, so each
 * test sets a short {@code management.opentelemetry.tracing.export.otlp.timeout}: that
 * bounds the retries. Every wait is bounded and no assertion measures time; two tests
 * rely on a burst of span ends (milliseconds) being shorter than a stuck export
 * (seconds), as their comments say.
 */
final class DroppedSpansIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String DROPPED = "observability.tracing.spans.dropped";

	private final OtlpHttpProtocolReceiver receiver = OtlpHttpProtocolReceiver.start();

	@AfterEach
	void close() {
		this.receiver.close();
	}

	@Test
	void spansOfBatchesTheBackendRefusesAreCountedAsExportFailed() {
		this.receiver.respondWith(503);
		try (ConfigurableApplicationContext context = start(this.receiver.endpoint(),
				"management.opentelemetry.tracing.export.otlp.timeout=1s")) {
			endSpans(context, 5);
			flush(context);
			assertThat(awaitDropped(context, SpanExportMeters.EXPORT_FAILED, (count) -> count >= 5)).isEqualTo(5);
			assertThat(dropped(context, SpanExportMeters.QUEUE_FULL)).isZero();
		}
		assertThat(this.receiver.spans()).isEmpty();
		// Retried (503 is retryable) until the timeout: one or more attempts per batch.
		assertThat(this.receiver.requests()).isNotEmpty().extracting(ReceivedRequest::status).containsOnly(503);
	}

	@Test
	void spansSentToAPortWhereNothingListensAreCountedAsExportFailed() throws IOException {
		String endpoint = "http://127.0.0.1:" + unusedPort();
		try (ConfigurableApplicationContext context = start(endpoint,
				"management.opentelemetry.tracing.export.otlp.timeout=1s")) {
			endSpans(context, 3);
			flush(context);
			assertThat(awaitDropped(context, SpanExportMeters.EXPORT_FAILED, (count) -> count >= 3)).isEqualTo(3);
			assertThat(dropped(context, SpanExportMeters.QUEUE_FULL)).isZero();
		}
	}

	@Test
	void zipkinExportsToAPortWhereNothingListensAreCountedToo() throws IOException {
		String endpoint = "http://127.0.0.1:" + unusedPort() + "/api/v2/spans";
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=zipkin", "observability.tracing.zipkin.endpoint=" + endpoint,
				"observability.tracing.sample-rate=1.0")) {
			endSpans(context, 3);
			flush(context);
			assertThat(awaitDropped(context, SpanExportMeters.EXPORT_FAILED, (count) -> count >= 3)).isEqualTo(3);
			assertThat(dropped(context, SpanExportMeters.QUEUE_FULL)).isZero();
		}
	}

	@Test
	void zipkinExportsTheBackendRefusesAreCountedToo() {
		// The receiver answers 404 to anything but OTLP's path: a backend that refuses.
		String endpoint = this.receiver.endpoint() + "/api/v2/spans";
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=zipkin", "observability.tracing.zipkin.endpoint=" + endpoint,
				"observability.tracing.sample-rate=1.0")) {
			endSpans(context, 4);
			flush(context);
			assertThat(awaitDropped(context, SpanExportMeters.EXPORT_FAILED, (count) -> count >= 4)).isEqualTo(4);
		}
		assertThat(this.receiver.requests()).isNotEmpty().extracting(ReceivedRequest::status).containsOnly(404);
	}

	@Test
	void fullQueueRefusesSpansAndEveryEndedSpanIsCountedOnceWhenNothingArrives() {
		this.receiver.blackHole(true);
		try (ConfigurableApplicationContext context = start(this.receiver.endpoint(),
				"management.opentelemetry.tracing.export.max-queue-size=4",
				"management.opentelemetry.tracing.export.max-batch-size=4",
				"management.opentelemetry.tracing.export.schedule-delay=1h",
				"management.opentelemetry.tracing.export.otlp.timeout=2s")) {
			endSpans(context, 100);
			// The worker takes one full batch (4) out of the queue as soon as it holds 4
			// and exports it. The black hole never answers, and the export's 2 s timeout
			// is far longer than 100 calls, so the worker takes nothing more meanwhile:
			// the queue (4) fills up and refuses every other span. Whether the worker
			// took its batch before, during or after the calls decides whether 4 or up
			// to 8 got in: at least 100 - 4 - 4 and at most 100 - 4 were refused.
			assertThat(dropped(context, SpanExportMeters.QUEUE_FULL)).isBetween(92.0, 96.0);
			// Let the stuck export run into its timeout and refuse the rest at once
			// (400 is not retried): every span that got in fails its export.
			this.receiver.blackHole(false);
			this.receiver.respondWith(400);
			flush(context);
			double total = awaitTotal(context, (count) -> count >= 100);
			assertThat(total).as("queue_full + export_failed").isEqualTo(100);
			assertThat(dropped(context, SpanExportMeters.EXPORT_FAILED)).isBetween(4.0, 8.0);
		}
		assertThat(this.receiver.spans()).isEmpty();
	}

	@Test
	void endingSpansNeverWaitsForABackendThatDoesNotAnswer() {
		this.receiver.blackHole(true);
		try (ConfigurableApplicationContext context = start(this.receiver.endpoint(),
				"management.opentelemetry.tracing.export.otlp.timeout=5s")) {
			// One span, flushed without waiting: the exporter thread sends it and then
			// hangs on the black hole, with Boot's default queue (2048) empty.
			endSpans(context, 1);
			context.getBean(SdkTracerProvider.class).forceFlush();
			assertThat(this.receiver.awaitRequests(1, WAIT)).singleElement()
				.extracting(ReceivedRequest::status)
				.isEqualTo(OtlpHttpProtocolReceiver.NO_ANSWER);
			endSpans(context, 10_000);
			// Every end() returned on this thread while the exporter was stuck: the
			// queue took 2048 spans and refused the rest, exactly. Had this thread
			// waited for an export, or had the exporter finished one in between, the
			// count would differ.
			assertThat(dropped(context, SpanExportMeters.QUEUE_FULL)).isEqualTo(10_000 - 2048);
			assertThat(registry(context).get("observability.tracing.export.queue.size").gauge().value())
				.isEqualTo(2048);
			assertThat(this.receiver.requests()).as("exports sent while the spans ended").hasSize(1);
			// Lets the application close without waiting for more black-holed exports.
			this.receiver.blackHole(false);
		}
	}

	private static void endSpans(ConfigurableApplicationContext context, int count) {
		Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("dropped-spans-test");
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("span").startSpan().end();
		}
	}

	/** Exports what is queued; a failed export still completes the flush. */
	private static void flush(ConfigurableApplicationContext context) {
		assertThat(
				context.getBean(SdkTracerProvider.class).forceFlush().join(WAIT.toSeconds(), TimeUnit.SECONDS).isDone())
			.as("flush completed")
			.isTrue();
	}

	private static MeterRegistry registry(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	private static double dropped(ConfigurableApplicationContext context, String reason) {
		return registry(context).get(DROPPED).tag("reason", reason).counter().count();
	}

	/**
	 * An export result may complete on the HTTP client's thread after the flush has
	 * returned: waits, bounded, for the count to get there.
	 */
	private static double awaitDropped(ConfigurableApplicationContext context, String reason,
			DoublePredicate condition) {
		return await(() -> dropped(context, reason), condition);
	}

	private static double awaitTotal(ConfigurableApplicationContext context, DoublePredicate condition) {
		return await(
				() -> dropped(context, SpanExportMeters.QUEUE_FULL) + dropped(context, SpanExportMeters.EXPORT_FAILED),
				condition);
	}

	private static double await(DoubleSupplier value, DoublePredicate condition) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		double current = value.getAsDouble();
		while (!condition.test(current) && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			current = value.getAsDouble();
		}
		return current;
	}

	private static int unusedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Starts an application with every auto-configuration that traces every span to the
	 * given OTLP endpoint, whatever the machine's environment variables say.
	 */
	private static ConfigurableApplicationContext start(String endpoint, String... properties) {
		String[] args = new String[properties.length + 2];
		args[0] = "observability.tracing.otlp.endpoint=" + endpoint;
		args[1] = "observability.tracing.sample-rate=1.0";
		System.arraycopy(properties, 0, args, 2, properties.length);
		return TracingApplications.start(Map.of(), args);
	}

}
