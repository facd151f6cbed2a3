package dev.observability.spring.autoconfigure.tracing;

import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless Spring Boot's OpenTelemetry tracing auto-configuration is excluded
 * (through {@code spring.autoconfigure.exclude} or {@code @EnableAutoConfiguration}): the
 * beans that replace some of its own need the rest of it.
 * <p>
 * Exclusions are recorded in the condition report before any auto-configuration is
 * parsed, so this can be asked before Boot's class is processed.
 */
final class OnBootOpenTelemetryTracingCondition extends SpringBootCondition {

	/** Boot's auto-configuration, also named by this package's ordering annotations. */
	static final String BOOT_TRACING = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		var beanFactory = context.getBeanFactory();
		if (beanFactory != null && ConditionEvaluationReport.get(beanFactory).getExclusions().contains(BOOT_TRACING)) {
			return ConditionOutcome.noMatch(BOOT_TRACING + " is excluded");
		}
		return ConditionOutcome.match(BOOT_TRACING + " is not excluded");
	}

}
