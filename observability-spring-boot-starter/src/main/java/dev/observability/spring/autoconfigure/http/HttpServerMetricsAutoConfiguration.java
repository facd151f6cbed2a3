package dev.observability.spring.autoconfigure.http;

import java.time.Duration;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsProperties;
import dev.observability.spring.http.RequestIdentityResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.core.context.SecurityContextHolder;
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
		"dev.observability.spring.autoconfigure.http.HttpNormalizationAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration" },
		beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, MeterRegistry.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnEnabledObservability({ "observability.metrics.enabled", "observability.http.enabled" })
@EnableConfigurationProperties({ ObservabilityHttpProperties.class, ObservabilityMetricsProperties.class })
public final class HttpServerMetricsAutoConfiguration {

	/** Before Spring Security's filter chain, so rejected requests are measured too. */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	/** The instrumentation scope of the starter's spans. */
	static final String INSTRUMENTATION_SCOPE = "dev.observability";

	@Bean
	@ConditionalOnMissingBean
	HttpServerMetrics httpServerMetrics(MeterRegistry registry, ObservabilityHttpProperties properties,
			ObservabilityMetricsProperties metricsProperties) {
		return HttpServerMetrics.builder(registry)
			.latencyBuckets(properties.getLatencyBuckets().toArray(Duration[]::new))
			.sizeBuckets(properties.getSizeBuckets().stream().mapToDouble((size) -> size.toBytes()).toArray())
			.sampleRate(metricsProperties.getSampleRate())
			.identityTags(metricsProperties.getDetailed().isEnabled())
			.build();
	}

	@Bean
	FilterRegistrationBean<HttpServerMetricsFilter> httpServerMetricsFilter(HttpServerMetrics metrics,
			PathNormalizer pathNormalizer, ObjectProvider<CardinalityLimiter> cardinalityLimiter,
			ObservabilityMetricsProperties metricsProperties, ObjectProvider<HttpServerSpans> spans) {
		FilterRegistrationBean<HttpServerMetricsFilter> registration = new FilterRegistrationBean<>(
				new HttpServerMetricsFilter(metrics, pathNormalizer, cardinalityLimiter.getIfAvailable(),
						metricsProperties.getDetailed().isEnabled(), spans.getIfAvailable()));
		registration.setName("observabilityHttpServerMetricsFilter");
		registration.setOrder(FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

	/**
	 * Server spans, when tracing is on: the starter's filter starts them since Spring's
	 * observation filter is replaced. {@code management.tracing.enabled} is what the
	 * starter derives from {@code observability.tracing.*}; off, no span is started.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.opentelemetry.sdk.trace.SdkTracerProvider")
	@ConditionalOnBooleanProperty("management.tracing.enabled")
	@ConditionalOnBean(type = "io.opentelemetry.api.OpenTelemetry")
	static class ServerSpansConfiguration {

		@Bean
		HttpServerSpans httpServerSpans(OpenTelemetry openTelemetry) {
			return new HttpServerSpans(openTelemetry.getTracer(INSTRUMENTATION_SCOPE),
					openTelemetry.getPropagators().getTextMapPropagator());
		}

	}

	/**
	 * Detailed metrics: who made each request, captured inside the filter chain just
	 * after Spring Security's.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledObservability(value = "observability.metrics.detailed.enabled", matchIfMissing = false)
	static class DetailedMetricsConfiguration {

		/** Spring Boot's property for the order of Spring Security's filter chain. */
		private static final String SECURITY_FILTER_ORDER = "spring.security.filter.order";

		/** Spring Boot's default for {@value #SECURITY_FILTER_ORDER}. */
		private static final int DEFAULT_SECURITY_FILTER_ORDER = -100;

		@Bean
		FilterRegistrationBean<RequestIdentityFilter> requestIdentityFilter(RequestIdentityResolver resolver,
				Environment environment) {
			FilterRegistrationBean<RequestIdentityFilter> registration = new FilterRegistrationBean<>(
					new RequestIdentityFilter(resolver));
			registration.setName("observabilityRequestIdentityFilter");
			int securityOrder = environment.getProperty(SECURITY_FILTER_ORDER, Integer.class,
					DEFAULT_SECURITY_FILTER_ORDER);
			registration.setOrder((securityOrder < Ordered.LOWEST_PRECEDENCE) ? securityOrder + 1 : securityOrder);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			return registration;
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(SecurityContextHolder.class)
		static class SecurityIdentityConfiguration {

			@Bean
			@ConditionalOnMissingBean
			RequestIdentityResolver requestIdentityResolver() {
				return new SecurityContextIdentityResolver();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
		static class ContainerIdentityConfiguration {

			@Bean
			@ConditionalOnMissingBean
			RequestIdentityResolver requestIdentityResolver() {
				return new UserPrincipalIdentityResolver();
			}

		}

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
