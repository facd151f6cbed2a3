package dev.observability.spring.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Tracing set-up beyond what {@code ObservabilityTracingEnvironment} hands to Spring
 * Boot's OpenTelemetry auto-configuration: binds (and so validates)
 * {@code observability.tracing.*}, adds the sampler that applies the sampling rules, an
 * exemplar source that allocates nothing, the span exporter that Boot does not provide,
 * the log, Boot's span processor without a copy of every span
 * ({@link SpanProcessorConfiguration}), and an OTLP exporter that does not load the JDK's
 * TLS set-up for a plain-HTTP endpoint ({@link PlainHttpSenderComponentLoader}).
 */
@AutoConfiguration(beforeName = { OnBootOpenTelemetryTracingCondition.BOOT_TRACING,
		"org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration" })
@ConditionalOnEnabledObservability
@EnableConfigurationProperties(ObservabilityTracingProperties.class)
@Import(SpanProcessorConfiguration.class)
public final class ObservabilityTracingAutoConfiguration {

	/** Boot's ratio, which the starter derives from observability.tracing.sample-rate. */
	private static final String BOOT_PROBABILITY = "management.tracing.sampling.probability";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Sampler.class, PathPatternParser.class })
	@ConditionalOnBooleanProperty("management.tracing.enabled")
	static class SamplerConfiguration {

		/**
		 * Replaces Boot's parent-based ratio sampler with one that also applies the
		 * rules. Boot's own probability property still wins when set.
		 */
		@Bean
		@ConditionalOnMissingBean
		Sampler observabilitySampler(ObservabilityTracingProperties properties, Environment environment) {
			double rate = environment.getProperty(BOOT_PROBABILITY, Double.class, properties.getSampleRate());
			List<String> excluded = properties.getSampling().isExcludeManagementEndpoints()
					? managementPaths(environment) : List.of();
			return RuleBasedSampler.of(rate, properties.getSampling().getRules(), excluded);
		}

		/**
		 * Actuator's endpoints and the metrics endpoint, as requests see them (with the
		 * servlet context path).
		 */
		static List<String> managementPaths(Environment environment) {
			String context = trimSlash(environment.getProperty("server.servlet.context-path", ""));
			List<String> paths = new ArrayList<>();
			String actuator = trimSlash(environment.getProperty("management.endpoints.web.base-path", "/actuator"));
			// Actuator mapped at the root would take every path with it.
			if (!actuator.isEmpty()) {
				paths.add(context + actuator + "/**");
			}
			String metrics = trimSlash(environment.getProperty("observability.metrics.endpoint.path", "/metrics"));
			if (!metrics.isEmpty()) {
				paths.add(context + metrics);
			}
			return paths;
		}

		private static String trimSlash(String path) {
			String trimmed = path.trim();
			while (trimmed.endsWith("/")) {
				trimmed = trimmed.substring(0, trimmed.length() - 1);
			}
			return (trimmed.isEmpty() || trimmed.startsWith("/")) ? trimmed : "/" + trimmed;
		}

	}

	/**
	 * Exemplars: the HTTP latency histogram's buckets name a sampled trace in the
	 * OpenMetrics scrape.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.prometheus.metrics.tracer.common.SpanContext")
	@ConditionalOnBooleanProperty("management.tracing.enabled")
	static class ExemplarConfiguration {

		@Bean
		@ConditionalOnMissingBean
		io.prometheus.metrics.tracer.common.SpanContext observabilityExemplarSpanContext() {
			return new CurrentSpanExemplarContext();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LoggingSpanExporter.class)
	@ConditionalOnBooleanProperty("management.tracing.enabled")
	@ConditionalOnProperty(name = "observability.tracing.exporter", havingValue = "logging")
	static class LoggingExporterConfiguration {

		@Bean
		SpanExporter observabilityLoggingSpanExporter() {
			return LoggingSpanExporter.create();
		}

	}

	/**
	 * The OTLP exporter's HTTP sender, for an {@code http://} endpoint, gets a TLS
	 * context that costs nothing to create.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter",
			"io.opentelemetry.sdk.common.export.HttpSenderProvider",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp."
					+ "OtlpHttpSpanExporterBuilderCustomizer" })
	@ConditionalOnBooleanProperty("management.tracing.enabled")
	static class OtlpPlainHttpConfiguration {

		/**
		 * First, so that an application's own customizer that sets a component loader
		 * wins.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		OtlpHttpSpanExporterBuilderCustomizer observabilityOtlpPlainHttpCustomizer() {
			ComponentLoader loader = new PlainHttpSenderComponentLoader(
					ComponentLoader.forClassLoader(OtlpHttpSpanExporter.class.getClassLoader()));
			return (builder) -> builder.setComponentLoader(loader);
		}

	}

}
