package dev.observability.spring.autoconfigure.cardinality;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Actuator extras of the cardinality limits, switched on when Actuator is present:
 * the {@code cardinality} endpoint (expose it with
 * {@code management.endpoints.web.exposure.include}) and the {@code cardinality} health
 * contributor.
 */
@AutoConfiguration(after = CardinalityLimitAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(CardinalityLimiter.class)
@ConditionalOnEnabledObservability("observability.metrics.enabled")
@ConditionalOnBean(CardinalityLimiter.class)
public final class CardinalityEndpointAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(CardinalityEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		CardinalityEndpoint cardinalityEndpoint(CardinalityLimiter limiter, MeterRegistry registry,
				CardinalityProperties properties) {
			return new CardinalityEndpoint(limiter, registry, properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnEnabledHealthIndicator("cardinality")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "cardinalityHealthIndicator")
		HealthIndicator cardinalityHealthIndicator(CardinalityLimiter limiter) {
			return new CardinalityHealthIndicator(limiter);
		}

	}

}
