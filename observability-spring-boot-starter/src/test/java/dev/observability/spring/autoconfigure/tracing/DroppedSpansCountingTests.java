package dev.observability.spring.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link FailedExportCountingSpanExporter} and
 * {@link BatchSpanProcessorMeterProvider}, against the SDK's own span processor and
 * hand-completed export results.
 */
final class DroppedSpansCountingTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final ControlledExporter delegate = new ControlledExporter();

	private final FailedExportCountingSpanExporter exporter = new FailedExportCountingSpanExporter(this.delegate,
			SpanExportMeters.droppedSpans(this.registry, SpanExportMeters.EXPORT_FAILED));

	@Test
	void failedBatchCountsItsSpansWhenTheResultCompletesAndTheCallerGetsTheSameResult() {
		CompletableResultCode result = this.exporter.export(spans(3));
		assertThat(result).isSameAs(this.delegate.results.get(0));
		assertThat(dropped(SpanExportMeters.EXPORT_FAILED)).as("still in flight").isZero();
		result.fail();
		assertThat(dropped(SpanExportMeters.EXPORT_FAILED)).isEqualTo(3);
	}

	@Test
	void successfulBatchCountsNothing() {
		this.exporter.export(spans(5)).succeed();
		assertThat(dropped(SpanExportMeters.EXPORT_FAILED)).isZero();
	}

	@Test
	void exporterThatThrowsHasItsSpansCountedAndItsExceptionPassedOn() {
		this.delegate.throwOnExport = true;
		assertThatIllegalStateException().isThrownBy(() -> this.exporter.export(spans(2)))
			.withMessage("exporter broken");
		assertThat(dropped(SpanExportMeters.EXPORT_FAILED)).isEqualTo(2);
	}

	@Test
	void flushAndShutdownAreTheDelegates() {
		assertThat(this.exporter.flush()).isSameAs(this.delegate.flushResult);
		assertThat(this.exporter.shutdown()).isSameAs(this.delegate.shutdownResult);
		assertThat(this.exporter).hasToString("ControlledExporter");
	}

	@Test
	void spansRefusedByAFullQueueAreCountedAndTheQueueIsShown() {
		BatchSpanProcessorMeterProvider meterProvider = new BatchSpanProcessorMeterProvider(this.registry);
		assertThat(dropped(SpanExportMeters.QUEUE_FULL)).as("registered before the first span").isZero();
		assertThat(queueSize()).isZero();
		// The delegate never completes: the worker holds one batch of 2 and the queue
		// of 2 fills up, so 6 of 10 spans are refused.
		BatchSpanProcessor processor = BatchSpanProcessor.builder(this.delegate)
			.setMaxQueueSize(2)
			.setMaxExportBatchSize(2)
			.setScheduleDelay(1, TimeUnit.HOURS)
			.setMeterProvider(meterProvider)
			.build();
		try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build()) {
			tracerProvider.get("test").spanBuilder("first").startSpan().end();
			tracerProvider.get("test").spanBuilder("second").startSpan().end();
			assertThat(this.delegate.awaitExports(1)).as("the worker is exporting the first batch").isTrue();
			for (int i = 0; i < 8; i++) {
				tracerProvider.get("test").spanBuilder("more").startSpan().end();
			}
			assertThat(dropped(SpanExportMeters.QUEUE_FULL)).isEqualTo(6);
			assertThat(queueSize()).isEqualTo(2);
			// Lets the provider shut down without waiting for the stuck batch.
			this.delegate.results.forEach(CompletableResultCode::succeed);
			this.delegate.completeAll = true;
		}
	}

	@Test
	void onlyTheProcessorsDroppedSpansAreCounted() {
		LongCounter processed = new BatchSpanProcessorMeterProvider(this.registry)
			.get(BatchSpanProcessorMeterProvider.SDK_TRACE_SCOPE)
			.counterBuilder(BatchSpanProcessorMeterProvider.PROCESSED_SPANS)
			.build();
		processed.add(512, Attributes.of(AttributeKey.stringKey("processorType"), "BatchSpanProcessor",
				AttributeKey.booleanKey("dropped"), false));
		processed.add(9);
		processed.add(1, Attributes.of(AttributeKey.stringKey("processorType"), "BatchSpanProcessor",
				AttributeKey.booleanKey("dropped"), true));
		assertThat(dropped(SpanExportMeters.QUEUE_FULL)).isEqualTo(1);
	}

	@Test
	void everyOtherInstrumentAndScopeIsNoop() {
		MeterProvider meterProvider = new BatchSpanProcessorMeterProvider(this.registry);
		int before = this.registry.getMeters().size();
		meterProvider.get("io.opentelemetry.exporters.otlp-http").counterBuilder("processedSpans").build().add(7);
		meterProvider.get(BatchSpanProcessorMeterProvider.SDK_TRACE_SCOPE)
			.counterBuilder("otel.sdk.processor.span.processed")
			.build()
			.add(7);
		meterProvider.get(BatchSpanProcessorMeterProvider.SDK_TRACE_SCOPE)
			.histogramBuilder("latency")
			.build()
			.record(1);
		assertThat(this.registry.getMeters()).hasSize(before);
		assertThat(dropped(SpanExportMeters.QUEUE_FULL)).isZero();
	}

	private double dropped(String reason) {
		return this.registry.get("observability.tracing.spans.dropped").tag("reason", reason).counter().count();
	}

	private double queueSize() {
		return this.registry.get("observability.tracing.export.queue.size").gauge().value();
	}

	private static List<SpanData> spans(int count) {
		List<SpanData> spans = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			spans.add(null);
		}
		return spans;
	}

	/** Hands out results that the test completes, and counts exports. */
	private static final class ControlledExporter implements SpanExporter {

		private final List<CompletableResultCode> results = new CopyOnWriteArrayList<>();

		private final CompletableResultCode flushResult = new CompletableResultCode();

		private final CompletableResultCode shutdownResult = CompletableResultCode.ofSuccess();

		private volatile boolean throwOnExport;

		private volatile boolean completeAll;

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			if (this.throwOnExport) {
				throw new IllegalStateException("exporter broken");
			}
			CompletableResultCode result = this.completeAll ? CompletableResultCode.ofSuccess()
					: new CompletableResultCode();
			synchronized (this.results) {
				this.results.add(result);
				this.results.notifyAll();
			}
			return result;
		}

		boolean awaitExports(int count) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			synchronized (this.results) {
				while (this.results.size() < count && System.nanoTime() < deadline) {
					try {
						this.results.wait(100);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return false;
					}
				}
				return this.results.size() >= count;
			}
		}

		@Override
		public CompletableResultCode flush() {
			return this.flushResult;
		}

		@Override
		public CompletableResultCode shutdown() {
			return this.shutdownResult;
		}

		@Override
		public String toString() {
			return "ControlledExporter";
		}

	}

}
