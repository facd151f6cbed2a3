package dev.observability.spring.autoconfigure.env;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.util.unit.DataSize;

/**
 * Explains a start-up failure caused by an {@code observability.*} property: which
 * property, which value (secrets masked), where it came from, and what is allowed. Runs
 * before Spring Boot's generic bind analyzer so that our properties always get this
 * message.
 */
public final class ObservabilityFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String PREFIX = "observability.";

	private static final String MASK = "******";

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidObservabilityPropertyException invalid = findCause(failure, InvalidObservabilityPropertyException.class);
		BindException bind = findCause(failure, BindException.class);
		ConfigurationProperty property = (bind != null) ? bind.getProperty() : null;
		if (invalid != null) {
			return analysis(invalid, property, failure);
		}
		UnboundConfigurationPropertiesException unbound = findCause(failure,
				UnboundConfigurationPropertiesException.class);
		if (unbound != null && bind != null && bind.getName().toString().startsWith(PREFIX)) {
			return unknown(bind.getName().toString(), unbound, failure);
		}
		if (bind != null && bind.getName().toString().startsWith(PREFIX)) {
			String name = (property != null) ? property.getName().toString() : bind.getName().toString();
			String value = (property != null) ? String.valueOf(property.getValue()) : "(none)";
			Origin origin = (property != null) ? property.getOrigin() : null;
			return analysis(name, isSecret(name) ? MASK : value, origin, allowedValues(bind.getTarget().getType()),
					failure);
		}
		return null;
	}

	/**
	 * A value rejected by our own checks. The exception's value is safe to show by
	 * contract; when Spring Boot was binding that very property, its raw text (as the
	 * user wrote it) and its origin are shown instead.
	 */
	private static FailureAnalysis analysis(InvalidObservabilityPropertyException invalid,
			@Nullable ConfigurationProperty property, Throwable failure) {
		String name = invalid.getProperty();
		String value = invalid.getValue();
		Origin origin = null;
		if (property != null) {
			String bound = property.getName().toString();
			if (name.equals(bound) || name.startsWith(bound + "[")) {
				origin = property.getOrigin();
			}
			if (name.equals(bound) && !isSecret(name)) {
				value = String.valueOf(property.getValue());
			}
		}
		return analysis(name, value, origin, invalid.getAllowed(), failure);
	}

	/**
	 * Properties under a prefix that rejects unknown names; the usual cause is a meter
	 * name with dots written without brackets.
	 */
	private static FailureAnalysis unknown(String prefix, UnboundConfigurationPropertiesException unbound,
			Throwable failure) {
		StringBuilder description = new StringBuilder("Unknown propert")
			.append((unbound.getUnboundProperties().size() == 1) ? "y" : "ies")
			.append(" under '")
			.append(prefix)
			.append("':");
		unbound.getUnboundProperties()
			.stream()
			.sorted((left, right) -> left.getName().toString().compareTo(right.getName().toString()))
			.forEach((property) -> {
				description.append("\n\t- '").append(property.getName()).append("'");
				if (property.getOrigin() != null) {
					description.append(" (from ").append(property.getOrigin()).append(")");
				}
			});
		String action = "Check the spelling against docs/configuration.md. Write meter names that contain dots in "
				+ "brackets, such as " + prefix + ".overrides[http.server.requests].max-values-per-tag "
				+ "(in YAML: \"[http.server.requests]\"); without them Spring Boot reads only the first part as "
				+ "the name.";
		return new FailureAnalysis(description.toString(), action, failure);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	private static FailureAnalysis analysis(String property, String value, @Nullable Origin origin, String allowed,
			Throwable cause) {
		StringBuilder description = new StringBuilder();
		description.append("Invalid value '").append(value).append("' for property '").append(property).append("'");
		if (origin != null) {
			description.append(" (from ").append(origin).append(")");
		}
		description.append(".\n\nAllowed: ").append(allowed).append('.');
		// An entry of a list or map (rules[0].pattern, overrides[x].max-values-per-tag)
		// has no default.
		String remedy = property.contains("[") ? ", or remove that entry" : ", or remove it to use the default";
		String action = "Set '" + property + "' to " + allowed + remedy
				+ ". See docs/configuration.md for every observability property.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	static boolean isSecret(String property) {
		String lower = property.toLowerCase(Locale.ROOT);
		return lower.contains("token") || lower.contains("password") || lower.contains("secret");
	}

	static String allowedValues(ResolvableType type) {
		Class<?> resolved = type.resolve(Object.class);
		if (resolved == Boolean.class || resolved == boolean.class) {
			return "true or false (yes/no, on/off and 1/0 are accepted too)";
		}
		if (resolved == Duration.class) {
			return "a duration such as 250ms, 2s or PT0.5S";
		}
		if (resolved == DataSize.class) {
			return "a size such as 512B, 64KB or 10MB";
		}
		if (Number.class.isAssignableFrom(resolved) || resolved.isPrimitive()) {
			return "a number";
		}
		if (resolved.isArray() || Iterable.class.isAssignableFrom(resolved)) {
			ResolvableType element = resolved.isArray() ? type.getComponentType() : type.asCollection().getGeneric();
			return "a comma-separated list of " + allowedValues(element);
		}
		return "a value of type " + resolved.getSimpleName();
	}

	private static <E extends Throwable> @Nullable E findCause(@Nullable Throwable failure, Class<E> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = candidate.getCause();
		}
		return null;
	}

}
