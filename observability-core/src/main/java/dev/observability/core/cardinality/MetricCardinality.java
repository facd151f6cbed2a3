package dev.observability.core.cardinality;

import java.util.Map;

/**
 * What the {@link CardinalityLimiter} has seen of one metric.
 *
 * @param metric the meter name
 * @param maxValuesPerTag the budget of values per tag
 * @param maxValuesOfTag budgets of the tags that have their own, different from
 * {@code maxValuesPerTag} (detailed metrics' {@code user} and {@code org})
 * @param valuesPerTag distinct values admitted per tag key
 * @param overflowsPerTag folds per tag key, only for tags that overflowed
 * @param refused whether meters of this name were refused for having too many tags
 */
public record MetricCardinality(String metric, int maxValuesPerTag, Map<String, Integer> maxValuesOfTag,
		Map<String, Integer> valuesPerTag, Map<String, Long> overflowsPerTag, boolean refused) {

	/**
	 * Creates a snapshot entry.
	 * @param metric the meter name
	 * @param maxValuesPerTag the budget of values per tag
	 * @param maxValuesOfTag budgets of the tags that have their own
	 * @param valuesPerTag distinct values admitted per tag key
	 * @param overflowsPerTag folds per tag key
	 * @param refused whether meters were refused
	 */
	public MetricCardinality {
		maxValuesOfTag = Map.copyOf(maxValuesOfTag);
		valuesPerTag = Map.copyOf(valuesPerTag);
		overflowsPerTag = Map.copyOf(overflowsPerTag);
	}

	/**
	 * Tells whether any tag of this metric overflowed.
	 * @return whether values were folded
	 */
	public boolean overflowed() {
		return !this.overflowsPerTag.isEmpty();
	}

}
