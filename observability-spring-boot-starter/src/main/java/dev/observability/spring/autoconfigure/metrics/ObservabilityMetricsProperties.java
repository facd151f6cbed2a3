package dev.observability.spring.autoconfigure.metrics;

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

}
