package dev.observability.spring.autoconfigure.tracing;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing set-up beyond what {@code ObservabilityTracingEnvironment} hands to Spring
 * Boot's OpenTelemetry auto-configuration: binds (and so validates)
 * {@code observability.tracing.*}, and adds the span exporter that Boot does not provide,
 * the log.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure."
		+ "OpenTelemetryTracingAutoConfiguration")
@ConditionalOnEnabledObservability
@EnableConfigurationProperties(ObservabilityTracingProperties.class)
public final class ObservabilityTracingAutoConfiguration {

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

}
