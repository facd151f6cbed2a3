package dev.observability.spring.autoconfigure.http;

import java.time.Duration;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * HTTP server metrics for servlet applications, recorded by one filter per request.
 * <p>
 * It runs before Spring Boot's {@code WebMvcObservationAutoConfiguration} and hands it a
 * disabled registration of Spring's {@link ServerHttpObservationFilter}, so Boot backs
 * off and requests are not measured twice. Measured here, Spring's observation filter
 * alone cost 10-20% of a trivial endpoint's throughput (design.md, "The request path's
 * cost").
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
		"dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration",
		"dev.observability.spring.autoconfigure.http.HttpNormalizationAutoConfiguration" },
		beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnEnabledObservability({ "observability.metrics.enabled", "observability.http.enabled" })
@EnableConfigurationProperties(ObservabilityHttpProperties.class)
public final class HttpServerMetricsAutoConfiguration {

	/** Before Spring Security's filter chain, so rejected requests are measured too. */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	@Bean
	@ConditionalOnMissingBean
	HttpServerMetrics httpServerMetrics(MeterRegistry registry, ObservabilityHttpProperties properties) {
		return HttpServerMetrics.builder(registry)
			.latencyBuckets(properties.getLatencyBuckets().toArray(Duration[]::new))
			.sizeBuckets(properties.getSizeBuckets().stream().mapToDouble((size) -> size.toBytes()).toArray())
			.build();
	}

	@Bean
	FilterRegistrationBean<HttpServerMetricsFilter> httpServerMetricsFilter(HttpServerMetrics metrics,
			PathNormalizer pathNormalizer, ObjectProvider<CardinalityLimiter> cardinalityLimiter) {
		FilterRegistrationBean<HttpServerMetricsFilter> registration = new FilterRegistrationBean<>(
				new HttpServerMetricsFilter(metrics, pathNormalizer, cardinalityLimiter.getIfAvailable()));
		registration.setName("observabilityHttpServerMetricsFilter");
		registration.setOrder(FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ServerHttpObservationFilter.class)
	static class SpringObservationFilterConfiguration {

		/**
		 * A registration that is never installed: its presence makes Boot's
		 * {@code @ConditionalOnMissingFilterBean(ServerHttpObservationFilter.class)} back
		 * off.
		 */
		@Bean
		@ConditionalOnMissingBean(ServerHttpObservationFilter.class)
		FilterRegistrationBean<ServerHttpObservationFilter> serverHttpObservationFilterReplacedByObservabilityStarter() {
			FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(
					new ServerHttpObservationFilter(ObservationRegistry.NOOP));
			registration.setEnabled(false);
			return registration;
		}

	}

}
