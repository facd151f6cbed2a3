package dev.observability.core.cardinality;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Bounds the number of series per metric without losing data. Each tag of each metric has
 * a budget of distinct values; a new value beyond it becomes {@value #OVERFLOW_VALUE}
 * while the other tags are kept, so sums over the folded tag stay right. A meter with
 * more tags than allowed is refused, with one warning. Every fold is counted in
 * {@code observability.cardinality.overflow} (Prometheus:
 * {@code observability_cardinality_overflow_total{metric,tag}}), and logged once per
 * metric and tag.
 * <p>
 * Memory is bounded by the budgets: values seen are kept per metric and tag up to the
 * budget, never beyond. A known value is checked without allocation.
 * <p>
 * Usage: <pre>{@code
 * CardinalityLimiter limiter = CardinalityLimiter.builder()
 *     .maxValuesPerTag(100)
 *     .maxValuesPerTag("http.server.requests", 500)
 *     .build();
 * registry.config().meterFilter(limiter.meterFilter());
 * limiter.bindTo(registry); // registers the overflow counters
 * }</pre>
 */
public final class CardinalityLimiter implements MeterBinder {

	/** The value that stands for every value beyond a tag's budget. */
	public static final String OVERFLOW_VALUE = "__overflow__";

	/** Name of the meter counting folds. */
	public static final String OVERFLOW_METER = "observability.cardinality.overflow";

	private static final InternalLogger logger = InternalLoggerFactory.getInstance(CardinalityLimiter.class);

	private final int maxTagsPerMetric;

	private final int maxValuesPerTag;

	private final Map<String, Integer> maxValuesPerTagOverrides;

	private final Map<String, Integer> maxTagsPerMetricOverrides;

	/** Budgets of single tags of single meters, by {@link #tagKey}. */
	private final Map<String, Integer> maxValuesPerTagOfMetric;

	private final Set<String> exemptTags;

	private final ConcurrentHashMap<String, MetricBudget> metrics = new ConcurrentHashMap<>();

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private CardinalityLimiter(Builder builder) {
		this.maxTagsPerMetric = builder.maxTagsPerMetric;
		this.maxValuesPerTag = builder.maxValuesPerTag;
		this.maxValuesPerTagOverrides = Map.copyOf(builder.maxValuesPerTagOverrides);
		this.maxTagsPerMetricOverrides = Map.copyOf(builder.maxTagsPerMetricOverrides);
		this.maxValuesPerTagOfMetric = Map.copyOf(builder.maxValuesPerTagOfMetric);
		this.exemptTags = Set.copyOf(builder.exemptTags);
	}

	/**
	 * Starts a builder with the defaults: 10 tags per metric, 100 values per tag.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the value to record for a tag: the value itself while it fits the budget,
	 * otherwise {@value #OVERFLOW_VALUE} (and the fold is counted).
	 * @param metric the meter name, for example {@code http.server.requests}
	 * @param tag the tag key
	 * @param value the raw tag value
	 * @return {@code value} or {@value #OVERFLOW_VALUE}
	 */
	public String limit(String metric, String tag, String value) {
		return metricBudget(metric).tag(tag).limit(value);
	}

	/**
	 * Returns the budget of one tag of one metric, for a caller that limits the same tag
	 * on every call (a request filter, a business helper): it skips the two look-ups that
	 * {@link #limit(String, String, String)} makes to find the budget. The budget is
	 * created as a first {@code limit} call for the tag would create it.
	 * @param metric the meter name, for example {@code http.server.requests}
	 * @param tag the tag key
	 * @return the tag's budget, shared with {@link #limit(String, String, String)}
	 */
	public TagLimit tagLimit(String metric, String tag) {
		return new TagLimit(metricBudget(metric).tag(tag));
	}

	/**
	 * Returns a filter that applies the limits to every meter of a registry.
	 * @return the filter
	 */
	public MeterFilter meterFilter() {
		return new LimitingMeterFilter();
	}

	/**
	 * Registers the overflow counters in a registry; folds that happened before are
	 * counted too.
	 * @param registry the registry
	 */
	@Override
	public void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		for (MetricBudget metric : this.metrics.values()) {
			for (TagBudget tag : metric.tags.values()) {
				if (tag.overflows.sum() > 0) {
					tag.register(registry);
				}
			}
		}
	}

	/**
	 * Returns what the limiter has seen so far, for endpoints and health checks.
	 * @return one entry per metric, sorted by name
	 */
	public List<MetricCardinality> snapshot() {
		List<MetricCardinality> result = new ArrayList<>();
		this.metrics.forEach((name, metric) -> {
			Map<String, Integer> values = new HashMap<>();
			Map<String, Integer> ownBudgets = new HashMap<>();
			Map<String, Long> overflows = new HashMap<>();
			metric.tags.forEach((tag, budget) -> {
				values.put(tag, budget.values.size());
				if (budget.maxValues != metric.maxValuesPerTag) {
					ownBudgets.put(tag, budget.maxValues);
				}
				long folds = budget.overflows.sum();
				if (folds > 0) {
					overflows.put(tag, folds);
				}
			});
			result.add(new MetricCardinality(name, metric.maxValuesPerTag, ownBudgets, values, overflows,
					metric.refused.get()));
		});
		result.sort((left, right) -> left.metric().compareTo(right.metric()));
		return Collections.unmodifiableList(result);
	}

	private MetricBudget metricBudget(String metric) {
		MetricBudget budget = this.metrics.get(metric);
		if (budget == null) {
			budget = this.metrics.computeIfAbsent(metric,
					(name) -> new MetricBudget(name,
							this.maxValuesPerTagOverrides.getOrDefault(name, this.maxValuesPerTag),
							this.maxTagsPerMetricOverrides.getOrDefault(name, this.maxTagsPerMetric)));
		}
		return budget;
	}

	private static String tagKey(String metric, String tag) {
		return metric + '\u0000' + tag;
	}

	/** Per metric: a budget per tag key. */
	private final class MetricBudget {

		private final String metric;

		private final int maxValuesPerTag;

		private final int maxTags;

		private final ConcurrentHashMap<String, TagBudget> tags = new ConcurrentHashMap<>();

		private final AtomicBoolean refused = new AtomicBoolean();

		MetricBudget(String metric, int maxValuesPerTag, int maxTags) {
			this.metric = metric;
			this.maxValuesPerTag = maxValuesPerTag;
			this.maxTags = maxTags;
		}

		TagBudget tag(String tag) {
			TagBudget budget = this.tags.get(tag);
			if (budget == null) {
				budget = this.tags.computeIfAbsent(tag,
						(key) -> new TagBudget(this.metric, key, CardinalityLimiter.this.maxValuesPerTagOfMetric
							.getOrDefault(tagKey(this.metric, key), this.maxValuesPerTag)));
			}
			return budget;
		}

		void refuse(int tagCount) {
			if (this.refused.compareAndSet(false, true)) {
				logger.warn(
						"Meter '" + this.metric + "' has " + tagCount + " tags, more than the limit of " + this.maxTags
								+ "; it is not recorded. Raise observability.metrics.cardinality.max-tags-per-metric "
								+ "or an override for this metric if the tags are bounded.");
			}
		}

	}

	/** Per metric and tag: the values admitted so far, never more than the budget. */
	private final class TagBudget {

		private final String metric;

		private final String tag;

		private final int maxValues;

		private final Set<String> values = ConcurrentHashMap.newKeySet();

		private final LongAdder overflows = new LongAdder();

		private final AtomicBoolean warned = new AtomicBoolean();

		TagBudget(String metric, String tag, int maxValues) {
			this.metric = metric;
			this.tag = tag;
			this.maxValues = maxValues;
		}

		String limit(String value) {
			if (admits(value)) {
				return value;
			}
			fold();
			return OVERFLOW_VALUE;
		}

		boolean admits(String value) {
			if (this.values.contains(value) || OVERFLOW_VALUE.equals(value)) {
				return true;
			}
			synchronized (this) {
				if (this.values.size() < this.maxValues) {
					this.values.add(value);
					return true;
				}
				return this.values.contains(value);
			}
		}

		void fold() {
			this.overflows.increment();
			if (this.warned.compareAndSet(false, true)) {
				logger.warn("Tag '" + this.tag + "' of meter '" + this.metric + "' reached its limit of "
						+ this.maxValues + " values; further values are recorded as '" + OVERFLOW_VALUE
						+ "' and counted in " + "observability_cardinality_overflow_total.");
				for (MeterRegistry registry : CardinalityLimiter.this.registries) {
					register(registry);
				}
			}
		}

		void register(MeterRegistry registry) {
			FunctionCounter.builder(OVERFLOW_METER, this.overflows, LongAdder::doubleValue)
				.description("Tag values folded into __overflow__ because a tag exceeded its cardinality budget")
				.tags("metric", this.metric, "tag", this.tag)
				.register(registry);
		}

	}

	/**
	 * The budget of one tag of one metric, from {@link #tagLimit(String, String)}.
	 */
	public static final class TagLimit {

		private final TagBudget budget;

		private TagLimit(TagBudget budget) {
			this.budget = budget;
		}

		/**
		 * Returns the value to record for the tag, as
		 * {@link CardinalityLimiter#limit(String, String, String)} does.
		 * @param value the raw tag value
		 * @return {@code value} or {@value CardinalityLimiter#OVERFLOW_VALUE}
		 */
		public String limit(String value) {
			return this.budget.limit(value);
		}

	}

	/**
	 * Reads the tags through {@link Meter.Id#getTagsAsIterable()}: {@code getTags()}
	 * copies them into a new list on every call, and Micrometer runs the filter on every
	 * registration of a folded value, not only on a meter's first.
	 */
	private final class LimitingMeterFilter implements MeterFilter {

		@Override
		public Meter.Id map(Meter.Id id) {
			if (OVERFLOW_METER.equals(id.getName())) {
				return id;
			}
			MetricBudget metric = metricBudget(id.getName());
			int tagCount = tagCount(id);
			if (tagCount > metric.maxTags) {
				return id; // refused in accept(); no budget is spent on its tags
			}
			List<Tag> limited = null;
			int index = 0;
			for (Tag tag : id.getTagsAsIterable()) {
				if (CardinalityLimiter.this.exemptTags.isEmpty()
						|| !CardinalityLimiter.this.exemptTags.contains(tagKey(id.getName(), tag.getKey()))) {
					String value = limit(id.getName(), tag.getKey(), tag.getValue());
					if (!Objects.equals(value, tag.getValue())) {
						if (limited == null) {
							// One copy, to fold into: getTags() copies too, into an
							// unmodifiable list.
							limited = new ArrayList<>(tagCount);
							id.getTagsAsIterable().forEach(limited::add);
						}
						limited.set(index, Tag.of(tag.getKey(), value));
					}
				}
				index++;
			}
			return (limited != null) ? id.replaceTags(limited) : id;
		}

		@Override
		public MeterFilterReply accept(Meter.Id id) {
			if (OVERFLOW_METER.equals(id.getName())) {
				return MeterFilterReply.NEUTRAL;
			}
			MetricBudget metric = metricBudget(id.getName());
			int tagCount = tagCount(id);
			if (tagCount > metric.maxTags) {
				metric.refuse(tagCount);
				return MeterFilterReply.DENY;
			}
			return MeterFilterReply.NEUTRAL;
		}

		private static int tagCount(Meter.Id id) {
			int count = 0;
			for (Tag ignored : id.getTagsAsIterable()) {
				count++;
			}
			return count;
		}

	}

	/**
	 * Builds a {@link CardinalityLimiter}.
	 */
	public static final class Builder {

		private int maxTagsPerMetric = 10;

		private int maxValuesPerTag = 100;

		private final Map<String, Integer> maxValuesPerTagOverrides = new HashMap<>();

		private final Map<String, Integer> maxTagsPerMetricOverrides = new HashMap<>();

		private final Map<String, Integer> maxValuesPerTagOfMetric = new HashMap<>();

		private final Set<String> exemptTags = new HashSet<>();

		private Builder() {
		}

		/**
		 * Leaves one tag of one meter out of the meter filter, because its producer
		 * bounds it itself; the starter's HTTP metrics do so for {@code uri}: route
		 * templates are bounded by the code, and only unmatched paths go through
		 * {@link CardinalityLimiter#limit} with this metric's budget. The tag still
		 * counts towards the meter's number of tags.
		 * @param metric the meter name
		 * @param tag the tag key
		 * @return this builder
		 */
		public Builder exempt(String metric, String tag) {
			this.exemptTags.add(tagKey(Objects.requireNonNull(metric, "metric must not be null"),
					Objects.requireNonNull(tag, "tag must not be null")));
			return this;
		}

		/**
		 * Sets the maximum number of tags a meter may have.
		 * @param maxTagsPerMetric at least 1
		 * @return this builder
		 */
		public Builder maxTagsPerMetric(int maxTagsPerMetric) {
			this.maxTagsPerMetric = atLeastOne("maxTagsPerMetric", maxTagsPerMetric);
			return this;
		}

		/**
		 * Sets the maximum number of distinct values per tag of a meter.
		 * @param maxValuesPerTag at least 1
		 * @return this builder
		 */
		public Builder maxValuesPerTag(int maxValuesPerTag) {
			this.maxValuesPerTag = atLeastOne("maxValuesPerTag", maxValuesPerTag);
			return this;
		}

		/**
		 * Overrides the number of values per tag for one meter.
		 * @param metric the meter name, for example {@code http.server.requests}
		 * @param maxValuesPerTag at least 1
		 * @return this builder
		 */
		public Builder maxValuesPerTag(String metric, int maxValuesPerTag) {
			this.maxValuesPerTagOverrides.put(Objects.requireNonNull(metric, "metric must not be null"),
					atLeastOne("maxValuesPerTag of " + metric, maxValuesPerTag));
			return this;
		}

		/**
		 * Gives one tag of one meter its own budget, which wins over the meter's and the
		 * global one; the starter's detailed HTTP metrics budget their {@code user} and
		 * {@code org} tags this way.
		 * @param metric the meter name
		 * @param tag the tag key
		 * @param maxValues at least 1
		 * @return this builder
		 */
		public Builder maxValuesPerTag(String metric, String tag, int maxValues) {
			this.maxValuesPerTagOfMetric.put(
					tagKey(Objects.requireNonNull(metric, "metric must not be null"),
							Objects.requireNonNull(tag, "tag must not be null")),
					atLeastOne("maxValuesPerTag of " + metric + " tag " + tag, maxValues));
			return this;
		}

		/**
		 * Overrides the number of tags for one meter.
		 * @param metric the meter name
		 * @param maxTagsPerMetric at least 1
		 * @return this builder
		 */
		public Builder maxTagsPerMetric(String metric, int maxTagsPerMetric) {
			this.maxTagsPerMetricOverrides.put(Objects.requireNonNull(metric, "metric must not be null"),
					atLeastOne("maxTagsPerMetric of " + metric, maxTagsPerMetric));
			return this;
		}

		private static int atLeastOne(String name, int value) {
			if (value < 1) {
				throw new IllegalArgumentException(name + " must be at least 1, got " + value);
			}
			return value;
		}

		/**
		 * Builds the limiter.
		 * @return the limiter
		 */
		public CardinalityLimiter build() {
			return new CardinalityLimiter(this);
		}

	}

}
