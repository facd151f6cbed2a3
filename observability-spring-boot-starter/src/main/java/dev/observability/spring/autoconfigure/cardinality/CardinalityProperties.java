package dev.observability.spring.autoconfigure.cardinality;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.observability.spring.autoconfigure.env.PropertyChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cardinality limits applied to every meter. A tag value beyond its budget is recorded as
 * "__overflow__" (totals stay right) and counted in
 * observability_cardinality_overflow_total.
 * <p>
 * Unknown properties under this prefix fail start-up: an override written without
 * brackets ({@code overrides.http.server.requests.max-values-per-tag}) would otherwise be
 * ignored in silence, since Spring Boot reads the map key as {@code http}.
 */
@ConfigurationProperties(prefix = "observability.metrics.cardinality", ignoreUnknownFields = false)
public final class CardinalityProperties {

	/**
	 * Maximum number of tags a meter may have; a meter with more is refused, with one
	 * warning.
	 */
	private int maxTagsPerMetric = 10;

	/**
	 * Maximum number of distinct values per tag of a meter; further values become
	 * "__overflow__".
	 */
	private int maxValuesPerTag = 100;

	/**
	 * Limits for single meters, by meter name in Micrometer's dotted form (in YAML, quote
	 * names with dots as "[http.server.requests]").
	 */
	private Map<String, Limits> overrides = new LinkedHashMap<>();

	/**
	 * Returns the maximum number of tags per meter.
	 * @return the limit
	 */
	public int getMaxTagsPerMetric() {
		return this.maxTagsPerMetric;
	}

	/**
	 * Sets the maximum number of tags per meter.
	 * @param maxTagsPerMetric at least 1
	 */
	public void setMaxTagsPerMetric(int maxTagsPerMetric) {
		this.maxTagsPerMetric = PropertyChecks.atLeastOne("observability.metrics.cardinality.max-tags-per-metric",
				maxTagsPerMetric);
	}

	/**
	 * Returns the maximum number of values per tag.
	 * @return the limit
	 */
	public int getMaxValuesPerTag() {
		return this.maxValuesPerTag;
	}

	/**
	 * Sets the maximum number of values per tag.
	 * @param maxValuesPerTag at least 1
	 */
	public void setMaxValuesPerTag(int maxValuesPerTag) {
		this.maxValuesPerTag = PropertyChecks.atLeastOne("observability.metrics.cardinality.max-values-per-tag",
				maxValuesPerTag);
	}

	/**
	 * Returns the per-meter limits.
	 * @return the overrides by meter name
	 */
	public Map<String, Limits> getOverrides() {
		return this.overrides;
	}

	/**
	 * Sets the per-meter limits.
	 * @param overrides the overrides by meter name
	 */
	public void setOverrides(Map<String, Limits> overrides) {
		overrides.forEach((metric, limits) -> {
			String property = "observability.metrics.cardinality.overrides[" + metric + "]";
			if (limits.getMaxTagsPerMetric() != null) {
				PropertyChecks.atLeastOne(property + ".max-tags-per-metric", limits.getMaxTagsPerMetric());
			}
			if (limits.getMaxValuesPerTag() != null) {
				PropertyChecks.atLeastOne(property + ".max-values-per-tag", limits.getMaxValuesPerTag());
			}
		});
		this.overrides = overrides;
	}

	/**
	 * Limits of one meter; unset values fall back to the global ones.
	 */
	public static final class Limits {

		/**
		 * Maximum number of tags of this meter.
		 */
		private @Nullable Integer maxTagsPerMetric;

		/**
		 * Maximum number of distinct values per tag of this meter.
		 */
		private @Nullable Integer maxValuesPerTag;

		/**
		 * Returns the tag limit.
		 * @return the limit, or {@code null} for the global one
		 */
		public @Nullable Integer getMaxTagsPerMetric() {
			return this.maxTagsPerMetric;
		}

		/**
		 * Sets the tag limit.
		 * @param maxTagsPerMetric the limit
		 */
		public void setMaxTagsPerMetric(@Nullable Integer maxTagsPerMetric) {
			this.maxTagsPerMetric = maxTagsPerMetric;
		}

		/**
		 * Returns the value limit.
		 * @return the limit, or {@code null} for the global one
		 */
		public @Nullable Integer getMaxValuesPerTag() {
			return this.maxValuesPerTag;
		}

		/**
		 * Sets the value limit.
		 * @param maxValuesPerTag the limit
		 */
		public void setMaxValuesPerTag(@Nullable Integer maxValuesPerTag) {
			this.maxValuesPerTag = maxValuesPerTag;
		}

	}

}
