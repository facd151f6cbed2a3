package dev.observability.spring.autoconfigure.cardinality;

import java.util.Arrays;
import java.util.List;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.http.HttpServerMeters;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsProperties;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Cardinality limits for every meter of the application's registries. The limiter is also
 * a {@code MeterBinder}, so Spring Boot registers its overflow counters in each registry.
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnEnabledObservability("observability.metrics.enabled")
@EnableConfigurationProperties({ CardinalityProperties.class, ObservabilityMetricsProperties.class })
public final class CardinalityLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static CardinalityLimiter cardinalityLimiter(CardinalityProperties properties,
			ObservabilityMetricsProperties metricsProperties) {
		CardinalityLimiter.Builder builder = CardinalityLimiter.builder()
			.maxTagsPerMetric(properties.getMaxTagsPerMetric())
			.maxValuesPerTag(properties.getMaxValuesPerTag());
		// Route templates are bounded by the code; the HTTP filter limits unmatched paths
		// itself.
		// Detailed metrics' user and org tags have their own budgets, on every meter that
		// carries them.
		ObservabilityMetricsProperties.Detailed detailed = metricsProperties.getDetailed();
		for (HttpServerMeters meter : HttpServerMeters.values()) {
			if (Arrays.asList(meter.getKeyNames()).contains(HttpServerMeters.HttpServerKeys.URI)) {
				builder.exempt(meter.getName(), HttpServerMeters.HttpServerKeys.URI.asString());
			}
			List<KeyName> optional = Arrays.asList(meter.getAdditionalKeyNames());
			if (optional.contains(HttpServerMeters.HttpServerKeys.USER)) {
				builder.maxValuesPerTag(meter.getName(), HttpServerMeters.HttpServerKeys.USER.asString(),
						detailed.getMaxUsers());
			}
			if (optional.contains(HttpServerMeters.HttpServerKeys.ORG)) {
				builder.maxValuesPerTag(meter.getName(), HttpServerMeters.HttpServerKeys.ORG.asString(),
						detailed.getMaxOrgs());
			}
		}
		properties.getOverrides().forEach((metric, limits) -> {
			if (limits.getMaxTagsPerMetric() != null) {
				builder.maxTagsPerMetric(metric, limits.getMaxTagsPerMetric());
			}
			if (limits.getMaxValuesPerTag() != null) {
				builder.maxValuesPerTag(metric, limits.getMaxValuesPerTag());
			}
		});
		return builder.build();
	}

	/**
	 * Runs after the other filters, so that it bounds the ids that are really registered
	 * (after renames and added tags).
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	static MeterFilter cardinalityLimitMeterFilter(CardinalityLimiter cardinalityLimiter) {
		return cardinalityLimiter.meterFilter();
	}

}
