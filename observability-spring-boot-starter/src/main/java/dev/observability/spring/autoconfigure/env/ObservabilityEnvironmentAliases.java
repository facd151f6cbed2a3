package dev.observability.spring.autoconfigure.env;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Makes the environment variables of the Django set-ups this starter replaces ({@code METRICS_ENABLED}
 * and friends) work as aliases of {@code observability.*} properties. The aliases are added last, so
 * any explicit property (application.yml, system property, command line) wins over them.
 * <p>
 * {@code OBSERVABILITY_ENABLED} needs no alias: it is Spring Boot's own environment form of
 * {@code observability.enabled} and so takes the precedence of environment variables.
 */
public final class ObservabilityEnvironmentAliases implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the aliases. */
	public static final String PROPERTY_SOURCE_NAME = "observabilityEnvironmentAliases";

	/** Environment variable to property name, for the features that exist so far. */
	static final Map<String, String> ALIASES = Map.of("METRICS_ENABLED", "observability.metrics.enabled");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PropertySource<?> system = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		if (system == null) {
			return;
		}
		Map<String, String> values = new LinkedHashMap<>();
		Map<String, String> variables = new LinkedHashMap<>();
		ALIASES.forEach((variable, property) -> {
			Object value = system.getProperty(variable);
			if (value != null) {
				values.put(property, value.toString());
				variables.put(property, variable);
			}
		});
		if (!values.isEmpty()) {
			environment.getPropertySources().addLast(new AliasPropertySource(values, variables));
		}
	}

	@Override
	public int getOrder() {
		// After config data is loaded, so that addLast really puts the aliases below application.yml.
		return Ordered.LOWEST_PRECEDENCE;
	}

	private static final class AliasPropertySource extends EnumerablePropertySource<Map<String, String>>
			implements OriginLookup<String> {

		private final Map<String, String> variables;

		AliasPropertySource(Map<String, String> values, Map<String, String> variables) {
			super(PROPERTY_SOURCE_NAME, values);
			this.variables = variables;
		}

		@Override
		public String[] getPropertyNames() {
			return getSource().keySet().toArray(new String[0]);
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return getSource().get(name);
		}

		@Override
		public @Nullable Origin getOrigin(String key) {
			String variable = this.variables.get(key);
			return (variable != null) ? new EnvironmentVariableOrigin(variable) : null;
		}

	}

	private record EnvironmentVariableOrigin(String variable) implements Origin {

		@Override
		public String toString() {
			return "environment variable '" + this.variable + "'";
		}

	}

}
