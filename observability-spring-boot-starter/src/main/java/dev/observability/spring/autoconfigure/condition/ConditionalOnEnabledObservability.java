package dev.observability.spring.autoconfigure.condition;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the master switch {@code observability.enabled} and every named feature
 * switch are on. Each switch defaults to {@code true}, unless {@link #matchIfMissing()}
 * says otherwise for an opt-in feature. A value that is not a boolean fails start-up with
 * a message naming the property, instead of silently counting as {@code false}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnEnabledObservabilityCondition.class)
public @interface ConditionalOnEnabledObservability {

	/**
	 * Feature switches that must be on besides {@code observability.enabled}, for example
	 * {@code observability.metrics.enabled}.
	 * @return the property names
	 */
	String[] value() default {};

	/**
	 * Whether an unset feature switch counts as on; {@code false} for opt-in features
	 * such as {@code observability.metrics.detailed.enabled}. The master switch is always
	 * on when unset.
	 * @return whether unset feature switches match
	 */
	boolean matchIfMissing() default true;

}
