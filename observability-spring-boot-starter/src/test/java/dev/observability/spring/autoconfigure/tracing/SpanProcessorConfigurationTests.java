package dev.observability.spring.autoconfigure.tracing;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.exporter.SpanFilter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpanProcessorConfiguration}: Boot's span processor without
 * Micrometer's copying exporter, and when the copy is kept.
 */
final class SpanProcessorConfigurationTests {

	private static final AttributeKey<Long> COUNT = AttributeKey.longKey("items.count");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				ObservabilityTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class))
		.withBean(InMemorySpanExporter.class, InMemorySpanExporter::create)
		.withPropertyValues("management.tracing.enabled=true", "management.tracing.sampling.probability=1.0");

	@Test
	void exportsTheSdksSpansStraightToTheExporters() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(BatchSpanProcessor.class).hasBean("observabilitySpanProcessor");
			assertThat(context.getBean(BatchSpanProcessor.class).toString()).doesNotContain("CompositeSpanExporter");
			SpanData span = exportOne(context);
			assertThat(span.getName()).isEqualTo("work");
			assertThat(span.getAttributes().get(COUNT)).isEqualTo(3L);
			// Not a copy converted through Micrometer's FinishedSpan.
			assertThat(span.getClass().getName()).doesNotStartWith("io.micrometer");
		});
	}

	@Test
	void keepsMicrometersExporterWhenASpanFilterNeedsIt() {
		this.runner.withBean(SpanFilter.class, () -> (span) -> span.setName("filtered")).run((context) -> {
			assertThat(context).hasBean("observabilitySpanProcessor");
			assertThat(context.getBean(BatchSpanProcessor.class).toString()).contains("CompositeSpanExporter");
			assertThat(exportOne(context).getName()).isEqualTo("filtered");
		});
	}

	@Test
	void takesBootsExportProperties() {
		this.runner
			.withPropertyValues("management.opentelemetry.tracing.export.max-batch-size=7",
					"management.opentelemetry.tracing.export.schedule-delay=1234ms",
					"management.opentelemetry.tracing.export.include-unsampled=true")
			.run((context) -> assertThat(context.getBean(BatchSpanProcessor.class).toString())
				.contains("maxExportBatchSize=7")
				.contains("scheduleDelayNanos=" + TimeUnit.MILLISECONDS.toNanos(1234))
				.contains("exportUnsampledSpans=true"));
	}

	@Test
	void backsOffFromTheApplicationsProcessor() {
		this.runner
			.withBean("userProcessor", BatchSpanProcessor.class,
					() -> BatchSpanProcessor.builder(InMemorySpanExporter.create()).build())
			.run((context) -> assertThat(context).hasSingleBean(BatchSpanProcessor.class)
				.hasBean("userProcessor")
				.doesNotHaveBean("observabilitySpanProcessor"));
	}

	@Test
	void backsOffFromTheApplicationsTracerProvider() {
		this.runner.withBean(SdkTracerProvider.class, () -> SdkTracerProvider.builder().build())
			.run((context) -> assertThat(context).doesNotHaveBean("observabilitySpanProcessor"));
	}

	@Test
	void isOffWhenTracingIsOff() {
		this.runner.withPropertyValues("management.tracing.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("observabilitySpanProcessor"));
	}

	@Test
	void isOffWhenBootsTracingAutoConfigurationIsExcluded() {
		new ApplicationContextRunner()
			.withInitializer((context) -> ConditionEvaluationReport.get(context.getBeanFactory())
				.recordExclusions(List.of(OnBootOpenTelemetryTracingCondition.BOOT_TRACING)))
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					ObservabilityTracingAutoConfiguration.class))
			.withPropertyValues("management.tracing.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BatchSpanProcessor.class)
				.getBean(ConditionEvaluationReport.class)
				.isNotNull());
	}

	private static SpanData exportOne(AssertableApplicationContext context) {
		Tracer tracer = context.getBean(Tracer.class);
		tracer.spanBuilder("work").startSpan().setAttribute(COUNT, 3L).end();
		assertThat(context.getBean(BatchSpanProcessor.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
			.isTrue();
		return assertThat(context.getBean(InMemorySpanExporter.class).getFinishedSpanItems()).singleElement().actual();
	}

}
