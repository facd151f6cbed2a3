package dev.observability.spring.autoconfigure.endpoint;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Serves the Prometheus registry on the application port at
 * {@code observability.metrics.endpoint.path} (default {@code /metrics}), without
 * requiring Actuator. When metrics are disabled nothing is mapped there and the path
 * answers 404 like any unknown path.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HttpServlet.class, PrometheusMeterRegistry.class })
@ConditionalOnBean(PrometheusMeterRegistry.class)
@ConditionalOnEnabledObservability("observability.metrics.enabled")
@EnableConfigurationProperties(MetricsEndpointProperties.class)
public final class MetricsEndpointAutoConfiguration {

	@Bean
	ServletRegistrationBean<MetricsScrapeServlet> metricsScrapeServlet(PrometheusMeterRegistry registry,
			MetricsEndpointProperties properties) {
		MetricsScrapeServlet servlet = new MetricsScrapeServlet(registry, MetricsEndpointGuard.of(properties),
				properties.getPath());
		ServletRegistrationBean<MetricsScrapeServlet> registration = new ServletRegistrationBean<>(servlet,
				properties.getPath());
		registration.setName("observabilityMetricsScrapeServlet");
		registration.setLoadOnStartup(1);
		return registration;
	}

}
