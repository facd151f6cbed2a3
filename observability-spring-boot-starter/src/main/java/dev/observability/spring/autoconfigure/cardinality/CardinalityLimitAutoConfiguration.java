package dev.observability.spring.autoconfigure.cardinality;

import java.util.ArrayList;
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

	/** HTTP tags that the starter's filter bounds before recording. */
	private static final List<HttpServerMeters.HttpServerKeys> FILTER_BOUNDED_KEYS = List.of(
			HttpServerMeters.HttpServerKeys.URI, HttpServerMeters.HttpServerKeys.USER,
			HttpServerMeters.HttpServerKeys.ORG);

	@Bean
	@ConditionalOnMissingBean
	static CardinalityLimiter cardinalityLimiter(CardinalityProperties properties,
			ObservabilityMetricsProperties metricsProperties) {
		CardinalityLimiter.Builder builder = CardinalityLimiter.builder()
			.maxTagsPerMetric(properties.getMaxTagsPerMetric())
			.maxValuesPerTag(properties.getMaxValuesPerTag());
		// Route templates are bounded by the code. The HTTP filter bounds unmatched
		// paths,
		// and detailed metrics' user and org (with their own budgets), itself, once per
		// request, so that every HTTP family records the same value.
		ObservabilityMetricsProperties.Detailed detailed = metricsProperties.getDetailed();
		for (HttpServerMeters meter : HttpServerMeters.values()) {
			List<KeyName> keys = new ArrayList<>(Arrays.asList(meter.getKeyNames()));
			keys.addAll(Arrays.asList(meter.getAdditionalKeyNames()));
			for (HttpServerMeters.HttpServerKeys key : FILTER_BOUNDED_KEYS) {
				if (keys.contains(key)) {
					builder.exempt(meter.getName(), key.asString());
				}
			}
		}
		String requests = HttpServerMeters.REQUESTS.getName();
		builder.maxValuesPerTag(requests, HttpServerMeters.HttpServerKeys.USER.asString(), detailed.getMaxUsers());
		builder.maxValuesPerTag(requests, HttpServerMeters.HttpServerKeys.ORG.asString(), detailed.getMaxOrgs());
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
