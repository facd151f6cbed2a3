package dev.observability.spring.autoconfigure.tracing;

import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.context.Context;

/**
 * The {@code processedSpans} counter that the SDK's {@code BatchSpanProcessor} reports
 * to: it adds {@code dropped=true} when its queue was full and the span was refused, and
 * {@code dropped=false} for every exported batch. Only the first go to the Micrometer
 * counter; the rest is already known (or not worth a meter).
 * <p>
 * Its own builder, so that the processor's one {@code build()} costs no extra object.
 */
final class QueueFullSpanCounter implements LongCounterBuilder, LongCounter {

	private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

	private final Counter queueFull;

	private final Meter noop;

	private final String name;

	QueueFullSpanCounter(Counter queueFull, Meter noop, String name) {
		this.queueFull = queueFull;
		this.noop = noop;
		this.name = name;
	}

	@Override
	public void add(long value) {
		// Without attributes nothing says the spans were dropped.
	}

	@Override
	public void add(long value, Attributes attributes) {
		// The processor passes the same constant Attributes each time: one look-up.
		if (Boolean.TRUE.equals(attributes.get(DROPPED))) {
			this.queueFull.increment(value);
		}
	}

	@Override
	public void add(long value, Attributes attributes, Context context) {
		add(value, attributes);
	}

	@Override
	public LongCounterBuilder setDescription(String description) {
		return this;
	}

	@Override
	public LongCounterBuilder setUnit(String unit) {
		return this;
	}

	@Override
	public DoubleCounterBuilder ofDoubles() {
		return this.noop.counterBuilder(this.name).ofDoubles();
	}

	@Override
	public LongCounter build() {
		return this;
	}

	@Override
	public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
		return this.noop.counterBuilder(this.name).buildWithCallback(callback);
	}

}
