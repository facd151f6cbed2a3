package dev.observability.spring.autoconfigure.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.jspecify.annotations.Nullable;

/**
 * Tells the Prometheus registry's exemplar sampler which trace is current, reading the
 * OpenTelemetry context directly. Spring Boot's own version goes through the Micrometer
 * Tracing bridge, which wraps the current span in a new object on every look-up; this one
 * runs on every histogram record and allocates nothing.
 */
final class CurrentSpanExemplarContext implements io.prometheus.metrics.tracer.common.SpanContext {

	@Override
	public @Nullable String getCurrentTraceId() {
		SpanContext context = Span.current().getSpanContext();
		return context.isValid() ? context.getTraceId() : null;
	}

	@Override
	public @Nullable String getCurrentSpanId() {
		SpanContext context = Span.current().getSpanContext();
		return context.isValid() ? context.getSpanId() : null;
	}

	@Override
	public boolean isCurrentSpanSampled() {
		return Span.current().getSpanContext().isSampled();
	}

	@Override
	public void markCurrentSpanAsExemplar() {
		// Nothing to mark: the span is exported whenever it is sampled.
	}

}
