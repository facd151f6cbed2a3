package dev.observability.spring.autoconfigure.tracing;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;

/**
 * Counts the spans that never reach the trace backend, in
 * {@code observability.tracing.spans.dropped{reason}}, and shows the export queue in
 * {@code observability.tracing.export.queue.size} (see {@link SpanExportMeters}).
 * <p>
 * After the meter registries rather than before Boot's OpenTelemetry tracing: Boot's
 * Prometheus exemplars sit between tracing and the Prometheus registry, so both orders at
 * once would be a cycle. Nothing here needs the other order: Boot's span processor and
 * OTLP exporter take the {@link MeterProvider} through an {@code ObjectProvider} when
 * they are created, and the post-processor sees its {@link SpanExporters} whatever the
 * order.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
		OnBootOpenTelemetryTracingCondition.BOOT_TRACING })
@ConditionalOnClass({ MeterRegistry.class, BatchSpanProcessor.class, SpanExporters.class })
@ConditionalOnEnabledObservability("observability.metrics.enabled")
@ConditionalOnBooleanProperty("management.tracing.enabled")
@ConditionalOnBean(MeterRegistry.class)
public final class SpanExportMetricsAutoConfiguration {

	/**
	 * Handed by Boot to its span processor, which reports refused spans and its queue
	 * through it. Backs off from an application's own provider (an
	 * {@code SdkMeterProvider}, say): with two, Boot could not choose and would fail to
	 * start. The processor then reports to that one, and {@code reason=queue_full} is not
	 * registered here rather than staying at a false 0.
	 */
	@Bean
	@ConditionalOnMissingBean(MeterProvider.class)
	BatchSpanProcessorMeterProvider batchSpanProcessorMeterProvider(MeterRegistry registry) {
		return new BatchSpanProcessorMeterProvider(registry);
	}

	/** Static, as post-processors are created before other beans. */
	@Bean
	static FailedExportCountingPostProcessor failedExportCountingPostProcessor(ObjectProvider<MeterRegistry> registry) {
		return new FailedExportCountingPostProcessor(registry);
	}

}
