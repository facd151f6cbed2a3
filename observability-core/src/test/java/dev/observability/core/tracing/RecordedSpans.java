package dev.observability.core.tracing;

import java.util.List;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * A real OpenTelemetry SDK tracer whose ended spans are kept in memory, in the order they
 * ended. Only sampled spans are kept, as an exporter sees them.
 */
final class RecordedSpans implements AutoCloseable {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider provider;

	/** Samples as the SDK does by default: every new trace. */
	RecordedSpans() {
		this(Sampler.parentBased(Sampler.alwaysOn()));
	}

	RecordedSpans(Sampler sampler) {
		this.provider = SdkTracerProvider.builder()
			.setSampler(sampler)
			.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
			.build();
	}

	Tracer tracer() {
		return this.provider.get("test");
	}

	Tracing tracing() {
		return Tracing.create(tracer());
	}

	List<SpanData> ended() {
		return this.exporter.getFinishedSpanItems();
	}

	SpanData only() {
		List<SpanData> spans = ended();
		if (spans.size() != 1) {
			throw new AssertionError("Expected one ended span, got " + spans);
		}
		return spans.get(0);
	}

	@Override
	public void close() {
		this.provider.close();
	}

}
