package dev.observability.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The master switch of the starter.
 */
@ConfigurationProperties("observability")
public final class ObservabilityProperties {

	/**
	 * Whether the starter registers anything at all. When false it adds no bean of its
	 * own and the application starts as if the starter were absent. Environment variable:
	 * OBSERVABILITY_ENABLED.
	 */
	private boolean enabled = true;

	/**
	 * Whether the starter registers anything at all.
	 * @return the master switch
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets the master switch.
	 * @param enabled the master switch
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
