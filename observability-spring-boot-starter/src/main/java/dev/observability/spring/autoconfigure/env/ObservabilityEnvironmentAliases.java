package dev.observability.spring.autoconfigure.env;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * Makes the environment variables of the Django set-ups this starter replaces
 * ({@code METRICS_ENABLED} and friends) work as aliases of {@code observability.*}
 * properties. The aliases are added last, so any explicit property (application.yml,
 * system property, command line) wins over them.
 * <p>
 * {@code OBSERVABILITY_ENABLED} needs no alias: it is Spring Boot's own environment form
 * of {@code observability.enabled} and so takes the precedence of environment variables.
 * <p>
 * The same lowest-precedence source lifts Spring Boot's HTTP {@code uri} guard while the
 * starter's metrics are on (see {@link #BOOT_MAX_URI_TAGS}).
 */
public final class ObservabilityEnvironmentAliases implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the aliases. */
	public static final String PROPERTY_SOURCE_NAME = "observabilityEnvironmentAliases";

	/**
	 * Spring Boot's own guard on HTTP {@code uri} values denies new series past 100
	 * values, which would drop the {@code __overflow__} series our limiter folds into;
	 * our limit replaces it.
	 */
	static final String BOOT_MAX_URI_TAGS = "management.metrics.web.server.max-uri-tags";

	/** Environment variable to property name, for the features that exist so far. */
	static final Map<String, String> ALIASES = Map.of("METRICS_ENABLED", "observability.metrics.enabled",
			"METRICS_SAMPLE_RATE", "observability.metrics.sample-rate", "DETAILED_METRICS_ENABLED",
			"observability.metrics.detailed.enabled", "TRACING_ENABLED", "observability.tracing.enabled",
			"TRACING_SAMPLE_RATE", "observability.tracing.sample-rate", "OTEL_EXPORTER_OTLP_ENDPOINT",
			"observability.tracing.otlp.endpoint", "OTEL_SERVICE_NAME", "observability.tracing.service-name");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PropertySource<?> system = environment.getPropertySources()
			.get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		Map<String, String> values = new LinkedHashMap<>();
		Map<String, String> variables = new LinkedHashMap<>();
		if (system != null) {
			ALIASES.forEach((variable, property) -> {
				Object value = system.getProperty(variable);
				if (value != null) {
					values.put(property, value.toString());
					variables.put(property, variable);
				}
			});
		}
		if (metricsEnabled(environment, values)) {
			values.put(BOOT_MAX_URI_TAGS, Integer.toString(Integer.MAX_VALUE));
		}
		if (!values.isEmpty()) {
			environment.getPropertySources().addLast(new AliasPropertySource(values, variables));
		}
	}

	/**
	 * Whether the starter's metrics will be on. A value that is not a boolean counts as
	 * on here: the starter's conditions report it with a clear message right after.
	 */
	private static boolean metricsEnabled(ConfigurableEnvironment environment, Map<String, String> aliases) {
		return isOn(environment.getProperty("observability.enabled")) && isOn(
				environment.getProperty("observability.metrics.enabled", aliases.get("observability.metrics.enabled")));
	}

	private static boolean isOn(@Nullable String value) {
		return value == null || !Set.of("false", "no", "off", "0").contains(value.trim().toLowerCase(Locale.ROOT));
	}

	@Override
	public int getOrder() {
		// After config data is loaded, so that addLast really puts the aliases below
		// application.yml; before ObservabilityTracingEnvironment, which reads them.
		return Ordered.LOWEST_PRECEDENCE - 1;
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
