package dev.observability.spring.autoconfigure.tracing;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * Every meter the starter emits about exporting spans, described once. They exist only
 * while tracing is on; this enum is their source for the metric catalogue
 * ({@code docs/metrics.md}) and for the names that alerts may use.
 */
public enum SpanExportMeters implements MeterDocumentation {

	/**
	 * Spans lost on their way to the trace backend, by {@link SpanExportKeys#REASON
	 * reason}: {@value #QUEUE_FULL} (the export queue was full when the span ended, so
	 * the span was never queued) or {@value #EXPORT_FAILED} (the exporter reported a
	 * failure for the batch holding the span: the backend refused it, did not answer in
	 * time, or could not be reached). Exposed as
	 * {@code observability_tracing_spans_dropped_total}.
	 */
	DROPPED_SPANS {
		@Override
		public String getName() {
			return "observability.tracing.spans.dropped";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return SpanExportKeys.values();
		}
	},

	/**
	 * Spans waiting in the export queue. Exposed as
	 * {@code observability_tracing_export_queue_size}; at the queue's capacity, every
	 * further span is dropped as {@value #QUEUE_FULL}.
	 */
	QUEUE_SIZE {
		@Override
		public String getName() {
			return "observability.tracing.export.queue.size";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}
	};

	/** The {@code reason} of spans the export queue had no room for. */
	public static final String QUEUE_FULL = "queue_full";

	/** The {@code reason} of spans whose export the exporter reported as failed. */
	public static final String EXPORT_FAILED = "export_failed";

	/**
	 * Registers (or finds) the dropped-spans counter of one reason.
	 * @param registry the registry
	 * @param reason {@link #QUEUE_FULL} or {@link #EXPORT_FAILED}
	 * @return the counter
	 */
	static Counter droppedSpans(MeterRegistry registry, String reason) {
		return Counter.builder(DROPPED_SPANS.getName())
			.description("Spans lost on their way to the trace backend")
			.tag(SpanExportKeys.REASON.asString(), reason)
			.register(registry);
	}

	/**
	 * Tags of the span export meters.
	 */
	public enum SpanExportKeys implements KeyName {

		/** Why the span was lost: {@code queue_full} or {@code export_failed}. */
		REASON("reason");

		private final String key;

		SpanExportKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
