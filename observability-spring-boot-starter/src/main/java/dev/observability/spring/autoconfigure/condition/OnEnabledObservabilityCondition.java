package dev.observability.spring.autoconfigure.condition;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link ConditionalOnEnabledObservability}'s condition. Binds each switch with Spring
 * Boot's {@link Binder} so that {@code False}, {@code no} or {@code 0} work as the seeds
 * wrote them and a typo fails with a {@code BindException} naming the property.
 */
final class OnEnabledObservabilityCondition extends SpringBootCondition {

	static final String MASTER_SWITCH = "observability.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		if (!isOn(binder, MASTER_SWITCH, true)) {
			return ConditionOutcome.noMatch(MASTER_SWITCH + " is false");
		}
		Map<String, Object> attributes = metadata
			.getAnnotationAttributes(ConditionalOnEnabledObservability.class.getName());
		String[] switches = (attributes != null) ? (String[]) attributes.get("value") : new String[0];
		boolean matchIfMissing = attributes == null || !Boolean.FALSE.equals(attributes.get("matchIfMissing"));
		for (String name : switches) {
			if (!isOn(binder, name, matchIfMissing)) {
				return ConditionOutcome.noMatch(name + (matchIfMissing ? " is false" : " is not true"));
			}
		}
		return ConditionOutcome.match(MASTER_SWITCH + " and " + String.join(", ", switches) + " are on");
	}

	private static boolean isOn(Binder binder, String name, boolean ifMissing) {
		return binder.bind(name, Boolean.class).orElse(ifMissing);
	}

}
