package dev.observability.spring.autoconfigure.tracing;

import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.exporter.SpanReporter;
import io.micrometer.tracing.otel.bridge.CompositeSpanExporter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's span processor, built the same way from the same
 * {@code management.opentelemetry.tracing.export.*} properties, but exporting straight to
 * the exporters when no {@link SpanExportingPredicate}, {@link SpanReporter} or
 * {@link SpanFilter} bean asks for Micrometer Tracing's {@link CompositeSpanExporter}.
 * <p>
 * Boot always puts that composite in front of the exporters; it converts every finished
 * span to a mutable Micrometer span and back before the exporter sees it, even with
 * nothing to filter. In the overhead harness that copy cost CPU on the export thread and
 * made each OTLP request about 65 % larger (docs/performance.md). With any of those beans
 * present, the composite is kept, so they still apply.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ BatchSpanProcessor.class, SpanExporters.class, CompositeSpanExporter.class })
@ConditionalOnBooleanProperty("management.tracing.enabled")
@Conditional(OnBootOpenTelemetryTracingCondition.class)
@EnableConfigurationProperties(OpenTelemetryTracingProperties.class)
class SpanProcessorConfiguration {

	/**
	 * Backs off from an application's own processor, and from its own tracer provider,
	 * which would not use this one.
	 */
	@Bean
	@ConditionalOnMissingBean({ BatchSpanProcessor.class, SdkTracerProvider.class })
	BatchSpanProcessor observabilitySpanProcessor(SpanExporters exporters, OpenTelemetryTracingProperties properties,
			ObjectProvider<SpanExportingPredicate> predicates, ObjectProvider<SpanReporter> reporters,
			ObjectProvider<SpanFilter> filters, ObjectProvider<MeterProvider> meterProvider) {
		var predicateList = predicates.orderedStream().toList();
		var reporterList = reporters.orderedStream().toList();
		var filterList = filters.orderedStream().toList();
		boolean direct = predicateList.isEmpty() && reporterList.isEmpty() && filterList.isEmpty();
		SpanExporter exporter = direct ? SpanExporter.composite(exporters.list())
				: new CompositeSpanExporter(exporters.list(), predicateList, reporterList, filterList);
		OpenTelemetryTracingProperties.Export export = properties.getExport();
		BatchSpanProcessorBuilder builder = BatchSpanProcessor.builder(exporter)
			.setExportUnsampledSpans(export.isIncludeUnsampled())
			.setExporterTimeout(export.getTimeout())
			.setMaxExportBatchSize(export.getMaxBatchSize())
			.setMaxQueueSize(export.getMaxQueueSize())
			.setScheduleDelay(export.getScheduleDelay());
		meterProvider.ifAvailable(builder::setMeterProvider);
		return builder.build();
	}

}
