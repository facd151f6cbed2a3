package dev.observability.spring.autoconfigure.metrics;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import dev.observability.spring.autoconfigure.env.PropertyChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Metrics switches.
 */
@ConfigurationProperties("observability.metrics")
public final class ObservabilityMetricsProperties {

	/**
	 * Whether to record metrics and serve them on the scrape endpoint. Environment
	 * variable: METRICS_ENABLED.
	 */
	private boolean enabled = true;

	/**
	 * Value of the "application" tag added to every meter. Defaults to
	 * spring.application.name, or "application" when that is not set either.
	 */
	private @Nullable String application;

	/**
	 * Share of requests, from 0.0 to 1.0, whose latency histogram and size distributions
	 * are recorded. Request counts, latency sums and exceptions stay exact at any rate;
	 * below 1.0 the latency buckets move to http_server_requests_sampled_seconds.
	 * Environment variable: METRICS_SAMPLE_RATE.
	 */
	private double sampleRate = 1.0;

	/**
	 * Per-user and per-organisation HTTP metrics.
	 */
	private final Detailed detailed = new Detailed();

	/**
	 * Whether metrics are recorded and served.
	 * @return the switch
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether metrics are recorded and served.
	 * @param enabled the switch
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns the configured application tag value.
	 * @return the value, or {@code null} to derive it
	 */
	public @Nullable String getApplication() {
		return this.application;
	}

	/**
	 * Sets the application tag value.
	 * @param application the value, or {@code null} to derive it
	 */
	public void setApplication(@Nullable String application) {
		this.application = application;
	}

	/**
	 * Returns the share of requests whose distributions are recorded.
	 * @return the rate, from 0.0 to 1.0
	 */
	public double getSampleRate() {
		return this.sampleRate;
	}

	/**
	 * Sets the share of requests whose distributions are recorded.
	 * @param sampleRate from 0.0 to 1.0
	 */
	public void setSampleRate(double sampleRate) {
		if (!(sampleRate >= 0.0 && sampleRate <= 1.0)) {
			throw new InvalidObservabilityPropertyException("observability.metrics.sample-rate",
					Double.toString(sampleRate), "a number from 0.0 to 1.0 (1.0 records every request)");
		}
		this.sampleRate = sampleRate;
	}

	/**
	 * Returns the detailed metrics settings.
	 * @return the settings
	 */
	public Detailed getDetailed() {
		return this.detailed;
	}

	/**
	 * Per-user and per-organisation HTTP metrics: {@code user} and {@code org} tags on
	 * every HTTP server meter with a {@code uri}.
	 */
	public static final class Detailed {

		/**
		 * Whether HTTP server metrics carry "user" and "org" tags, resolved by the
		 * RequestIdentityResolver bean (by default the authenticated principal's name).
		 * Each multiplies the number of series. Environment variable:
		 * DETAILED_METRICS_ENABLED.
		 */
		private boolean enabled;

		/**
		 * Maximum number of distinct "user" values (including "none"); further users are
		 * recorded as "__overflow__".
		 */
		private int maxUsers = 100;

		/**
		 * Maximum number of distinct "org" values (including "none"); further
		 * organisations are recorded as "__overflow__".
		 */
		private int maxOrgs = 100;

		/**
		 * Whether detailed metrics are on.
		 * @return the switch
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether detailed metrics are on.
		 * @param enabled the switch
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * Returns the budget of user values.
		 * @return the budget
		 */
		public int getMaxUsers() {
			return this.maxUsers;
		}

		/**
		 * Sets the budget of user values.
		 * @param maxUsers at least 1
		 */
		public void setMaxUsers(int maxUsers) {
			this.maxUsers = PropertyChecks.atLeastOne("observability.metrics.detailed.max-users", maxUsers);
		}

		/**
		 * Returns the budget of organisation values.
		 * @return the budget
		 */
		public int getMaxOrgs() {
			return this.maxOrgs;
		}

		/**
		 * Sets the budget of organisation values.
		 * @param maxOrgs at least 1
		 */
		public void setMaxOrgs(int maxOrgs) {
			this.maxOrgs = PropertyChecks.atLeastOne("observability.metrics.detailed.max-orgs", maxOrgs);
		}

	}

}
