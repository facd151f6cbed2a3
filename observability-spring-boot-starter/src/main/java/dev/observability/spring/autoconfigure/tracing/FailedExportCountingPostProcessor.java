package dev.observability.spring.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;

/**
 * Wraps each exporter of Spring Boot's {@link SpanExporters} (the list its span processor
 * exports to) in a {@link FailedExportCountingSpanExporter}.
 * <p>
 * The list rather than the exporter beans: a wrapped bean would lose its type, and
 * whoever looks up {@code OtlpHttpSpanExporter} or {@code ZipkinSpanExporter} would no
 * longer find it. The counter is registered here, when Boot builds the processor at
 * start-up, so it reads 0 until the first failure.
 */
final class FailedExportCountingPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<MeterRegistry> registry;

	FailedExportCountingPostProcessor(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof SpanExporters exporters)) {
			return bean;
		}
		Counter exportFailed = SpanExportMeters.droppedSpans(this.registry.getObject(), SpanExportMeters.EXPORT_FAILED);
		List<SpanExporter> counting = new ArrayList<>();
		for (SpanExporter exporter : exporters) {
			counting.add((exporter instanceof FailedExportCountingSpanExporter) ? exporter
					: new FailedExportCountingSpanExporter(exporter, exportFailed));
		}
		return SpanExporters.of(counting);
	}

}
