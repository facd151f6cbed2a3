package dev.observability.spring.autoconfigure.tracing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.LongGaugeBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleGauge;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;

/**
 * The {@code queueSize} gauge that the SDK's {@code BatchSpanProcessor} registers with
 * its first span: it hands over a callback that reads its queue, and a Micrometer gauge
 * calls it on every scrape. With several processors, their queues add up.
 */
final class SpanQueueSizeGauge {

	private final List<Consumer<ObservableLongMeasurement>> callbacks = new CopyOnWriteArrayList<>();

	/**
	 * Returns the builder the processor asks its meter for.
	 * @param noop the meter that builds what the processor does not use
	 * @param name the gauge's name
	 * @return a builder whose long gauge reports here
	 */
	DoubleGaugeBuilder builder(Meter noop, String name) {
		return new Builder(noop, name);
	}

	/**
	 * Reads the queues now.
	 * @return the spans waiting, 0 before the first span
	 */
	double size() {
		Sum sum = new Sum();
		for (Consumer<ObservableLongMeasurement> callback : this.callbacks) {
			callback.accept(sum);
		}
		return sum.value;
	}

	private final class Builder implements DoubleGaugeBuilder {

		private final Meter noop;

		private final String name;

		Builder(Meter noop, String name) {
			this.noop = noop;
			this.name = name;
		}

		@Override
		public DoubleGaugeBuilder setDescription(String description) {
			return this;
		}

		@Override
		public DoubleGaugeBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public LongGaugeBuilder ofLongs() {
			return new LongBuilder();
		}

		@Override
		public ObservableDoubleGauge buildWithCallback(Consumer<ObservableDoubleMeasurement> callback) {
			return this.noop.gaugeBuilder(this.name).buildWithCallback(callback);
		}

	}

	private final class LongBuilder implements LongGaugeBuilder {

		@Override
		public LongGaugeBuilder setDescription(String description) {
			return this;
		}

		@Override
		public LongGaugeBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public ObservableLongGauge buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			SpanQueueSizeGauge.this.callbacks.add(callback);
			return new ObservableLongGauge() {

				@Override
				public void close() {
					SpanQueueSizeGauge.this.callbacks.remove(callback);
				}

			};
		}

	}

	/** One reading: what each queue reports, summed. */
	private static final class Sum implements ObservableLongMeasurement {

		private long value;

		@Override
		public void record(long value) {
			this.value += value;
		}

		@Override
		public void record(long value, Attributes attributes) {
			this.value += value;
		}

	}

}
