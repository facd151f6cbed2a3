package dev.observability.spring.autoconfigure.tracing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;

/**
 * An OpenTelemetry {@link MeterProvider} with two instruments only: the span processor's
 * {@code processedSpans} counter, of which the spans refused by a full queue go to
 * {@code observability.tracing.spans.dropped{reason=queue_full}}, and its
 * {@code queueSize} gauge, read by {@code observability.tracing.export.queue.size}. Every
 * other instrument, of the processor or of any other component that Spring Boot hands
 * this provider to (the OTLP exporters), is OpenTelemetry's no-op, as it is without a
 * provider.
 * <p>
 * Both Micrometer meters are registered when the provider is created, so that alerts see
 * them at 0 before the first span.
 */
final class BatchSpanProcessorMeterProvider implements MeterProvider {

	/** The instrumentation scope of the SDK's span processors. */
	static final String SDK_TRACE_SCOPE = "io.opentelemetry.sdk.trace";

	/** The processor's counter of processed spans, by {@code dropped}. */
	static final String PROCESSED_SPANS = "processedSpans";

	/** The processor's gauge of queued spans. */
	static final String QUEUE_SIZE = "queueSize";

	private static final MeterProvider NOOP = MeterProvider.noop();

	private final Counter queueFull;

	private final SpanQueueSizeGauge queueSize = new SpanQueueSizeGauge();

	private final Meter meter = new SpanProcessorMeter();

	BatchSpanProcessorMeterProvider(MeterRegistry registry) {
		this.queueFull = SpanExportMeters.droppedSpans(registry, SpanExportMeters.QUEUE_FULL);
		Gauge.builder(SpanExportMeters.QUEUE_SIZE.getName(), this.queueSize, SpanQueueSizeGauge::size)
			.description("Spans waiting in the export queue")
			.register(registry);
	}

	@Override
	public MeterBuilder meterBuilder(String instrumentationScopeName) {
		return SDK_TRACE_SCOPE.equals(instrumentationScopeName) ? new SpanProcessorMeterBuilder()
				: NOOP.meterBuilder(instrumentationScopeName);
	}

	private final class SpanProcessorMeterBuilder implements MeterBuilder {

		@Override
		public MeterBuilder setSchemaUrl(String schemaUrl) {
			return this;
		}

		@Override
		public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
			return this;
		}

		@Override
		public Meter build() {
			return BatchSpanProcessorMeterProvider.this.meter;
		}

	}

	private final class SpanProcessorMeter implements Meter {

		private final Meter noop = NOOP.get(SDK_TRACE_SCOPE);

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			return PROCESSED_SPANS.equals(name)
					? new QueueFullSpanCounter(BatchSpanProcessorMeterProvider.this.queueFull, this.noop, name)
					: this.noop.counterBuilder(name);
		}

		@Override
		public DoubleGaugeBuilder gaugeBuilder(String name) {
			return QUEUE_SIZE.equals(name) ? BatchSpanProcessorMeterProvider.this.queueSize.builder(this.noop, name)
					: this.noop.gaugeBuilder(name);
		}

		@Override
		public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
			return this.noop.upDownCounterBuilder(name);
		}

		@Override
		public DoubleHistogramBuilder histogramBuilder(String name) {
			return this.noop.histogramBuilder(name);
		}

	}

}
