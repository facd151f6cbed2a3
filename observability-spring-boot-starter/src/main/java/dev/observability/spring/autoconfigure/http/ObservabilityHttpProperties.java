package dev.observability.spring.autoconfigure.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * HTTP server instrumentation.
 */
@ConfigurationProperties("observability.http")
public final class ObservabilityHttpProperties {

	/**
	 * Whether to record HTTP server request metrics (rate, errors, latency histogram,
	 * sizes, requests in flight). Replaces Spring's own HTTP server observation so that
	 * each request is counted once.
	 */
	private boolean enabled = true;

	/**
	 * Upper bounds of the latency histogram buckets, strictly increasing.
	 */
	private List<Duration> latencyBuckets = new ArrayList<>(
			List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
					Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
					Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)));

	/**
	 * Upper bounds of the request and response size histogram buckets, strictly
	 * increasing.
	 */
	private List<DataSize> sizeBuckets = new ArrayList<>(List.of(DataSize.ofBytes(100), DataSize.ofKilobytes(1),
			DataSize.ofKilobytes(10), DataSize.ofKilobytes(100), DataSize.ofMegabytes(1), DataSize.ofMegabytes(10)));

	/**
	 * How the path of a request that matched no route becomes its "uri" tag.
	 */
	private final Normalization normalization = new Normalization();

	/**
	 * Whether HTTP server requests are recorded.
	 * @return the switch
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether HTTP server requests are recorded.
	 * @param enabled the switch
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns the latency bucket bounds.
	 * @return the bounds
	 */
	public List<Duration> getLatencyBuckets() {
		return this.latencyBuckets;
	}

	/**
	 * Sets the latency bucket bounds.
	 * @param latencyBuckets positive, strictly increasing durations
	 */
	public void setLatencyBuckets(List<Duration> latencyBuckets) {
		checkIncreasing("observability.http.latency-buckets", latencyBuckets.stream().map(Duration::toNanos).toList(),
				latencyBuckets.toString(),
				"a non-empty list of positive, strictly increasing durations such as 10ms,100ms,1s");
		this.latencyBuckets = latencyBuckets;
	}

	/**
	 * Returns the size bucket bounds.
	 * @return the bounds
	 */
	public List<DataSize> getSizeBuckets() {
		return this.sizeBuckets;
	}

	/**
	 * Sets the size bucket bounds.
	 * @param sizeBuckets positive, strictly increasing sizes
	 */
	public void setSizeBuckets(List<DataSize> sizeBuckets) {
		checkIncreasing("observability.http.size-buckets", sizeBuckets.stream().map(DataSize::toBytes).toList(),
				sizeBuckets.toString(),
				"a non-empty list of positive, strictly increasing sizes such as 1KB,100KB,1MB");
		this.sizeBuckets = sizeBuckets;
	}

	private static void checkIncreasing(String property, List<Long> values, String shown, String allowed) {
		long previous = 0;
		for (long value : values) {
			if (value <= previous) {
				throw new InvalidObservabilityPropertyException(property, shown, allowed);
			}
			previous = value;
		}
		if (values.isEmpty()) {
			throw new InvalidObservabilityPropertyException(property, shown, allowed);
		}
	}

	/**
	 * Returns the normalization settings.
	 * @return the settings
	 */
	public Normalization getNormalization() {
		return this.normalization;
	}

	/**
	 * Normalization of unmatched request paths ({@code /users/123} becomes
	 * {@code /users/{id}}).
	 */
	public static final class Normalization {

		/**
		 * Maximum number of path segments kept in the "uri" of a request that matched no
		 * route; further segments become "/...".
		 */
		private int maxSegments = 5;

		/**
		 * Extra rules, tried in order before the built-in ones: a path segment that
		 * entirely matches a rule's pattern is replaced by its replacement.
		 */
		private List<Rule> rules = new ArrayList<>();

		/**
		 * Returns the maximum number of segments.
		 * @return at least 1
		 */
		public int getMaxSegments() {
			return this.maxSegments;
		}

		/**
		 * Sets the maximum number of segments.
		 * @param maxSegments at least 1
		 */
		public void setMaxSegments(int maxSegments) {
			if (maxSegments < 1 || maxSegments > 64) {
				throw new InvalidObservabilityPropertyException("observability.http.normalization.max-segments",
						Integer.toString(maxSegments), "a whole number from 1 to 64");
			}
			this.maxSegments = maxSegments;
		}

		/**
		 * Returns the extra rules.
		 * @return the rules
		 */
		public List<Rule> getRules() {
			return this.rules;
		}

		/**
		 * Sets the extra rules.
		 * @param rules the rules, each with a valid Java regular expression
		 */
		public void setRules(List<Rule> rules) {
			for (int i = 0; i < rules.size(); i++) {
				rules.get(i).validate("observability.http.normalization.rules[" + i + "]");
			}
			this.rules = rules;
		}

	}

	/**
	 * One normalization rule.
	 */
	public static final class Rule {

		/**
		 * Java regular expression that a whole path segment must match, for example
		 * "[a-z]{2}-[A-Z]{2}".
		 */
		private @Nullable String pattern;

		/**
		 * Text that replaces a matching segment, for example "{locale}".
		 */
		private @Nullable String replacement;

		/**
		 * Returns the pattern.
		 * @return the pattern
		 */
		public @Nullable String getPattern() {
			return this.pattern;
		}

		/**
		 * Sets the pattern.
		 * @param pattern a Java regular expression
		 */
		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		/**
		 * Returns the replacement.
		 * @return the replacement
		 */
		public @Nullable String getReplacement() {
			return this.replacement;
		}

		/**
		 * Sets the replacement.
		 * @param replacement non-empty text without '/'
		 */
		public void setReplacement(@Nullable String replacement) {
			this.replacement = replacement;
		}

		void validate(String property) {
			if (this.pattern == null || this.pattern.isEmpty()) {
				throw new InvalidObservabilityPropertyException(property + ".pattern", "(not set)",
						"a Java regular expression matching one path segment");
			}
			try {
				Pattern.compile(this.pattern);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidObservabilityPropertyException(property + ".pattern", this.pattern,
						"a valid Java regular expression (" + ex.getDescription() + " at index " + ex.getIndex() + ")");
			}
			if (this.replacement == null || this.replacement.isEmpty() || this.replacement.contains("/")) {
				throw new InvalidObservabilityPropertyException(property + ".replacement",
						(this.replacement != null) ? this.replacement : "(not set)",
						"non-empty text without '/', such as {locale}");
			}
		}

	}

}
