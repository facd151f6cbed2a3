package dev.observability.spring.autoconfigure.cardinality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.cardinality.MetricCardinality;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/cardinality}: series per metric, the limits, and the tags that
 * overflowed.
 */
@Endpoint(id = "cardinality")
public final class CardinalityEndpoint {

	private final CardinalityLimiter limiter;

	private final MeterRegistry registry;

	private final CardinalityProperties properties;

	CardinalityEndpoint(CardinalityLimiter limiter, MeterRegistry registry, CardinalityProperties properties) {
		this.limiter = limiter;
		this.registry = registry;
		this.properties = properties;
	}

	/**
	 * Reports the cardinality of every metric the limiter has seen.
	 * @return the report
	 */
	@ReadOperation
	public CardinalityReport cardinality() {
		List<MetricReport> metrics = new ArrayList<>();
		List<String> overflowed = new ArrayList<>();
		for (MetricCardinality metric : this.limiter.snapshot()) {
			int series = this.registry.find(metric.metric()).meters().size();
			metrics.add(new MetricReport(metric.metric(), series, metric.maxValuesPerTag(), metric.maxValuesOfTag(),
					metric.valuesPerTag(), metric.overflowsPerTag(), metric.refused()));
			if (metric.overflowed()) {
				overflowed.add(metric.metric());
			}
		}
		return new CardinalityReport(this.properties.getMaxTagsPerMetric(), this.properties.getMaxValuesPerTag(),
				overflowed, metrics);
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param maxTagsPerMetric the global tag limit
	 * @param maxValuesPerTag the global value limit
	 * @param overflowed names of the metrics with at least one folded tag
	 * @param metrics one entry per metric
	 */
	public record CardinalityReport(int maxTagsPerMetric, int maxValuesPerTag, List<String> overflowed,
			List<MetricReport> metrics) {
	}

	/**
	 * One metric of the report.
	 *
	 * @param metric the meter name
	 * @param series the meters of that name in the registry
	 * @param maxValuesPerTag its value limit
	 * @param maxValuesOfTag limits of the tags that have their own (detailed metrics'
	 * {@code user} and {@code org})
	 * @param valuesPerTag distinct values admitted per tag
	 * @param overflowsPerTag folds per tag that overflowed
	 * @param refused whether meters were refused for having too many tags
	 */
	public record MetricReport(String metric, int series, int maxValuesPerTag, Map<String, Integer> maxValuesOfTag,
			Map<String, Integer> valuesPerTag, Map<String, Long> overflowsPerTag, boolean refused) {
	}

}
