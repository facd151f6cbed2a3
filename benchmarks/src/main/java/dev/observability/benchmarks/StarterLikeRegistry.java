package dev.observability.benchmarks;

import dev.observability.core.cardinality.CardinalityLimiter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A Prometheus registry set up as the starter sets up its own, for the benchmarks that
 * compare against a plain one: the {@code application} common tag and, when a limiter is
 * given, its meter filter and overflow counters.
 */
final class StarterLikeRegistry {

	/** The starter's common tag, for a plain registry that must hold the same labels. */
	static final Tags COMMON_TAGS = Tags.of("application", "bench");

	private StarterLikeRegistry() {
	}

	static PrometheusMeterRegistry create(@Nullable CardinalityLimiter limiter) {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(MeterFilter.commonTags(COMMON_TAGS));
		if (limiter != null) {
			registry.config().meterFilter(limiter.meterFilter());
			limiter.bindTo(registry);
		}
		return registry;
	}

}
