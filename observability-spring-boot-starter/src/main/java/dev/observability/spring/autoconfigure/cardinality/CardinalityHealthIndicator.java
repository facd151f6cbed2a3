package dev.observability.spring.autoconfigure.cardinality;

import java.util.ArrayList;
import java.util.List;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.cardinality.MetricCardinality;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports the metrics whose tags overflowed or that were refused. Always {@code UP}: an
 * overflow costs detail, not availability, and must never make an orchestrator restart
 * the application.
 */
final class CardinalityHealthIndicator extends AbstractHealthIndicator {

	private final CardinalityLimiter limiter;

	CardinalityHealthIndicator(CardinalityLimiter limiter) {
		super("Cardinality check failed");
		this.limiter = limiter;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<String> overflowed = new ArrayList<>();
		List<String> refused = new ArrayList<>();
		for (MetricCardinality metric : this.limiter.snapshot()) {
			if (metric.overflowed()) {
				overflowed.add(metric.metric() + " " + metric.overflowsPerTag().keySet());
			}
			if (metric.refused()) {
				refused.add(metric.metric());
			}
		}
		builder.up().withDetail("overflowed", overflowed).withDetail("refused", refused);
	}

}
