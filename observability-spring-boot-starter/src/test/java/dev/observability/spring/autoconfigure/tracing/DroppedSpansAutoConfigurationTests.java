package dev.observability.spring.autoconfigure.tracing;

import java.util.Collection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpanExportMetricsAutoConfiguration}: when the dropped-span meters
 * exist, and how they attach to Spring Boot's span processor.
 */
final class DroppedSpansAutoConfigurationTests {

	private static final String DROPPED = "observability.tracing.spans.dropped";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, SpanExportMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withBean(InMemorySpanExporter.class, InMemorySpanExporter::create);

	@Test
	void isOffWithoutTracing() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(BatchSpanProcessorMeterProvider.class)
				.doesNotHaveBean(FailedExportCountingPostProcessor.class);
			assertThat(dropped(context)).isEmpty();
		});
	}

	@Test
	void isOffWhenTracingIsSwitchedOff() {
		this.runner.withPropertyValues("management.tracing.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(BatchSpanProcessorMeterProvider.class)
				.doesNotHaveBean(FailedExportCountingPostProcessor.class);
			assertThat(context.getBean(SpanExporters.class).list()).singleElement()
				.isInstanceOf(InMemorySpanExporter.class);
			assertThat(dropped(context)).isEmpty();
		});
	}

	@Test
	void registersBothReasonsAtZeroAndTheQueueWhenTracingIsOn() {
		this.runner.withPropertyValues("management.tracing.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(BatchSpanProcessorMeterProvider.class)
				.hasSingleBean(FailedExportCountingPostProcessor.class)
				.hasSingleBean(BatchSpanProcessor.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(DROPPED).tag("reason", "queue_full").counter().count()).isZero();
			assertThat(registry.get(DROPPED).tag("reason", "export_failed").counter().count()).isZero();
			assertThat(registry.get("observability.tracing.export.queue.size").gauge().value()).isZero();
		});
	}

	@Test
	void countsFailuresOfTheExportersBootExportsToWithoutHidingTheirBeans() {
		this.runner.withPropertyValues("management.tracing.enabled=true").run((context) -> {
			assertThat(context.getBean(SpanExporters.class).list()).singleElement()
				.isInstanceOfSatisfying(FailedExportCountingSpanExporter.class,
						(exporter) -> assertThat(exporter.getDelegate())
							.isSameAs(context.getBean(InMemorySpanExporter.class)));
		});
	}

	@Test
	void backsOffFromAnApplicationsMeterProviderAndStillStarts() {
		this.runner.withPropertyValues("management.tracing.enabled=true")
			.withBean(SdkMeterProvider.class, () -> SdkMeterProvider.builder().build())
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(BatchSpanProcessor.class)
					.hasSingleBean(MeterProvider.class)
					.doesNotHaveBean(BatchSpanProcessorMeterProvider.class);
				assertThat(dropped(context)).as("no queue_full that would stay 0 whatever happens")
					.extracting((counter) -> counter.getId().getTag("reason"))
					.containsExactly("export_failed");
			});
	}

	@Test
	void isOffWhenTheStartersMetricsAreOff() {
		this.runner.withPropertyValues("management.tracing.enabled=true", "observability.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BatchSpanProcessorMeterProvider.class)
				.doesNotHaveBean(FailedExportCountingPostProcessor.class));
	}

	@Test
	void isOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
					OpenTelemetryTracingAutoConfiguration.class, SpanExportMetricsAutoConfiguration.class))
			.withPropertyValues("management.tracing.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(BatchSpanProcessor.class)
				.doesNotHaveBean(BatchSpanProcessorMeterProvider.class)
				.doesNotHaveBean(FailedExportCountingPostProcessor.class));
	}

	@Test
	void isOffWithoutTheTracingSdk() {
		this.runner.withPropertyValues("management.tracing.enabled=true")
			.withClassLoader(new FilteredClassLoader("io.opentelemetry.sdk.trace"))
			.run((context) -> assertThat(context).doesNotHaveBean(BatchSpanProcessorMeterProvider.class)
				.doesNotHaveBean(FailedExportCountingPostProcessor.class));
	}

	private static Collection<Counter> dropped(AssertableApplicationContext context) {
		return Search.in(context.getBean(MeterRegistry.class)).name(DROPPED).counters();
	}

}
