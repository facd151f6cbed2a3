package dev.observability.spring.autoconfigure.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * HTTP server instrumentation.
 */
@ConfigurationProperties("observability.http")
public final class ObservabilityHttpProperties {

	/**
	 * Whether to record HTTP server request metrics (rate, errors, latency histogram, sizes, requests in
	 * flight). Replaces Spring's own HTTP server observation so that each request is counted once.
	 */
	private boolean enabled = true;

	/**
	 * Upper bounds of the latency histogram buckets, strictly increasing.
	 */
	private List<Duration> latencyBuckets = new ArrayList<>(List.of(Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10)));

	/**
	 * Upper bounds of the request and response size histogram buckets, strictly increasing.
	 */
	private List<DataSize> sizeBuckets = new ArrayList<>(List.of(DataSize.ofBytes(100), DataSize.ofKilobytes(1),
			DataSize.ofKilobytes(10), DataSize.ofKilobytes(100), DataSize.ofMegabytes(1), DataSize.ofMegabytes(10)));

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
				latencyBuckets.toString(), "a non-empty list of positive, strictly increasing durations such as 10ms,100ms,1s");
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
				sizeBuckets.toString(), "a non-empty list of positive, strictly increasing sizes such as 1KB,100KB,1MB");
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

}
