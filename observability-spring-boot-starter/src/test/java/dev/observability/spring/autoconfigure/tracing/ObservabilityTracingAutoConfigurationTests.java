package dev.observability.spring.autoconfigure.tracing;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.observability.spring.autoconfigure.env.ObservabilityFailureAnalyzer;
import dev.observability.spring.autoconfigure.env.ObservabilityTracingEnvironment;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.Slf4JBaggageEventListener;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zipkin2.reporter.BytesMessageSender;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the tracing switches: {@link ObservabilityTracingEnvironment} driving Spring
 * Boot's OpenTelemetry auto-configuration, and
 * {@link ObservabilityTracingAutoConfiguration}. Each test starts a real application with
 * every auto-configuration, as Spring Boot does, so that the environment post-processors
 * and the auto-configuration exclusions apply.
 */
final class ObservabilityTracingAutoConfigurationTests {

	private static final String EXPORTER_THREAD = "BatchSpanProcessor_WorkerThread";

	@Test
	void isOffWithoutAnEndpointAndRunsNoExporterThread() {
		Set<Thread> before = exporterThreads();
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of())) {
			assertThat(context.getEnvironment().getProperty("management.tracing.enabled")).isEqualTo("false");
			assertThat(context.getBeanNamesForType(SdkTracerProvider.class)).isEmpty();
			assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
			assertThat(context.getBeanNamesForType(SpanContext.class)).as("exemplar look-ups").isEmpty();
			assertThat(context.getBeanNamesForType(BytesMessageSender.class)).as("Zipkin sender").isEmpty();
			assertThat(context.getBeanNamesForType(OtlpHttpSpanExporterBuilderCustomizer.class)).isEmpty();
			assertThat(exporterThreads()).as("exporter threads started by this application").isSubsetOf(before);
		}
	}

	@Test
	void otlpEndpointTurnsTracingOnAndGetsTheTracesPath() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318")) {
			assertThat(context.getBean(OtlpHttpSpanExporter.class).toString())
				.contains("endpoint=http://127.0.0.1:4318/v1/traces");
			assertThat(context.getBean(Sampler.class).getDescription()).startsWith("RuleBasedSampler{rate=0.1,")
				.contains("/actuator/**=0.0");
			assertThat(context.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
			assertThat(context.getBean(SpanContext.class)).isInstanceOf(CurrentSpanExemplarContext.class);
			assertThat(context.getBeanNamesForType(BytesMessageSender.class)).as("Zipkin sender").isEmpty();
			assertThat(context.getBeanNamesForType(OtlpHttpSpanExporterBuilderCustomizer.class))
				.containsExactly("observabilityOtlpPlainHttpCustomizer");
		}
	}

	@Test
	void zipkinSenderIsKeptWhenTheApplicationExportsToZipkinBesideOtlp() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"management.tracing.export.zipkin.enabled=true",
				"management.tracing.export.zipkin.endpoint=http://127.0.0.1:9411/api/v2/spans")) {
			assertThat(context.getBeanNamesForType(BytesMessageSender.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(ZipkinSpanExporter.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(OtlpHttpSpanExporter.class)).hasSize(1);
		}
	}

	@Test
	void seedsEnvironmentVariablesWork() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT",
				"http://collector:4318/", "TRACING_SAMPLE_RATE", "0.25", "OTEL_SERVICE_NAME", "movie-finder"))) {
			assertThat(context.getBean(OtlpHttpSpanExporter.class).toString())
				.contains("endpoint=http://collector:4318/v1/traces");
			assertThat(context.getBean(Sampler.class).getDescription()).startsWith("RuleBasedSampler{rate=0.25,");
			assertThat(
					context.getEnvironment().getProperty("management.opentelemetry.resource-attributes[service.name]"))
				.isEqualTo("movie-finder");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "no", "0" })
	void tracingEnabledFalseWinsOverAnEndpoint(String value) {
		try (ConfigurableApplicationContext context = TracingApplications
			.start(Map.of("TRACING_ENABLED", value, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))) {
			assertThat(context.getBeanNamesForType(SdkTracerProvider.class)).isEmpty();
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		}
	}

	@Test
	void zipkinExporterUsesItsEndpointAndNoOtlp() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=zipkin",
				"observability.tracing.zipkin.endpoint=http://127.0.0.1:9411/api/v2/spans")) {
			assertThat(context.getBeanNamesForType(ZipkinSpanExporter.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(BytesMessageSender.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(OtlpHttpSpanExporter.class)).isEmpty();
			assertThat(context.getEnvironment().getProperty("management.tracing.export.zipkin.endpoint"))
				.isEqualTo("http://127.0.0.1:9411/api/v2/spans");
		}
	}

	@Test
	void loggingExporterNeedsNoEndpoint() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=logging")) {
			assertThat(context.getBeanNamesForType(LoggingSpanExporter.class)).hasSize(1);
			assertThat(context.getBeanNamesForType(OtlpHttpSpanExporter.class)).isEmpty();
			assertThat(context.getBeanNamesForType(ZipkinSpanExporter.class)).isEmpty();
			assertThat(context.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
		}
	}

	@Test
	void noExporterRecordsSpansOnlyWhenAskedTo() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=none")) {
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		}
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.exporter=none", "observability.tracing.enabled=true")) {
			assertThat(context.getBeanNamesForType(SpanExporter.class)).isEmpty();
			assertThat(context.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
		}
	}

	@Test
	void logCorrelationOfBaggageIsLeftOutWithoutFieldsAndKeptWithThem() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318")) {
			assertThat(context.getBeanNamesForType(Slf4JBaggageEventListener.class)).isEmpty();
			assertThat(context.getBeanNamesForType(Slf4JEventListener.class)).as("trace and span ids").hasSize(1);
		}
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"management.tracing.baggage.remote-fields=tenant",
				"management.tracing.baggage.correlation.fields=tenant")) {
			assertThat(context.getBeanNamesForType(Slf4JBaggageEventListener.class)).hasSize(1);
		}
	}

	@Test
	void spanProcessorIsTheStartersUnlessBootsTracingIsExcluded() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318")) {
			assertThat(context.getBeanNamesForType(BatchSpanProcessor.class))
				.containsExactly("observabilitySpanProcessor");
		}
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"spring.autoconfigure.exclude=" + OnBootOpenTelemetryTracingCondition.BOOT_TRACING)) {
			assertThat(context.getBeanNamesForType(BatchSpanProcessor.class)).isEmpty();
		}
	}

	@Test
	void springBootsOwnPropertiesStillWin() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318", "observability.tracing.sample-rate=0.2",
				"management.tracing.sampling.probability=0.5")) {
			assertThat(context.getBean(Sampler.class).getDescription()).startsWith("RuleBasedSampler{rate=0.5,");
		}
	}

	@Test
	void applicationExclusionsAreKeptWhenTracingIsOff() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.task."
						+ "TaskExecutionAutoConfiguration")) {
			assertThat(context.getEnvironment().getProperty("spring.autoconfigure.exclude"))
				.startsWith("org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration,")
				.contains("OpenTelemetryTracingAutoConfiguration")
				.contains("ZipkinAutoConfiguration");
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		}
	}

	@Test
	void applicationExclusionsAreKeptWhenOnlyTheZipkinSenderIsLeftOut() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.task."
						+ "TaskExecutionAutoConfiguration")) {
			assertThat(context.getEnvironment().getProperty("spring.autoconfigure.exclude", String[].class))
				.startsWith("org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
				.contains("org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration")
				.doesNotContain(OnBootOpenTelemetryTracingCondition.BOOT_TRACING);
			assertThat(context.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
		}
	}

	@Test
	void masterSwitchTurnsSpringBootsTracingOffToo() {
		try (ConfigurableApplicationContext context = TracingApplications
			.start(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), "observability.enabled=false")) {
			assertThat(context.getBeanNamesForType(SdkTracerProvider.class)).isEmpty();
			assertThat(context.getBeanNamesForType(ObservabilityTracingProperties.class)).isEmpty();
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.5", "-0.1" })
	void explainsASampleRateOutsideZeroToOne(String rate) {
		assertThat(failure(Map.of(), "observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"observability.tracing.sample-rate=" + rate)
			.getDescription())
			.startsWith("Invalid value '" + rate + "' for property 'observability.tracing.sample-rate'")
			.contains("Allowed: a number from 0.0 to 1.0");
	}

	@Test
	void explainsAnEndpointThatIsNotAUrl() {
		assertThat(failure(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")).getDescription())
			.startsWith("Invalid value 'collector:4318' for property 'observability.tracing.otlp.endpoint' "
					+ "(from environment variable 'OTEL_EXPORTER_OTLP_ENDPOINT')")
			.contains("an http:// or https:// URL with a host");
	}

	@Test
	void explainsAnUnknownExporter() {
		assertThat(failure(Map.of(), "observability.tracing.exporter=jaeger").getDescription())
			.startsWith("Invalid value 'jaeger' for property 'observability.tracing.exporter'");
	}

	@Test
	void explainsAnInvalidSamplingRule() {
		assertThat(failure(Map.of(), "observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"observability.tracing.sampling.rules[0].path=/api/{id",
				"observability.tracing.sampling.rules[0].rate=1")
			.getDescription())
			.startsWith("Invalid value '/api/{id' for property 'observability.tracing.sampling.rules[0].path'")
			.contains("a path pattern in Spring MVC's syntax");
	}

	@Test
	void applicationsOwnSamplerWins() {
		try (ConfigurableApplicationContext context = TracingApplications.start(Map.of(),
				"observability.tracing.otlp.endpoint=http://127.0.0.1:4318",
				"spring.main.sources=" + OwnSampler.class.getName())) {
			assertThat(context.getBean(Sampler.class)).isSameAs(OwnSampler.SAMPLER);
		}
	}

	private static FailureAnalysis failure(Map<String, Object> variables, String... properties) {
		Throwable failure = catchThrowable(() -> TracingApplications.start(variables, properties).close());
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new ObservabilityFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	/** Exporter threads alive now; other tests' applications may leave some behind. */
	private static Set<Thread> exporterThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(EXPORTER_THREAD))
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSampler {

		static final Sampler SAMPLER = Sampler.alwaysOn();

		@Bean
		Sampler ownSampler() {
			return SAMPLER;
		}

	}

}
