package dev.observability.spring.autoconfigure.env;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsProperties;
import dev.observability.spring.autoconfigure.sample.SampleApplication;
import dev.observability.spring.autoconfigure.sample.SampleHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.context.support.StandardServletEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link ObservabilityEnvironmentAliases}.
 */
final class ObservabilityEnvironmentAliasesTests {

	private static final String METRICS_ENABLED = "observability.metrics.enabled";

	private static final String BOOT_MAX_URI_TAGS = "management.metrics.web.server.max-uri-tags";

	private final ObservabilityEnvironmentAliases aliases = new ObservabilityEnvironmentAliases();

	@Test
	void aliasesMetricsEnabledEnvironmentVariable() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(METRICS_ENABLED)).isEqualTo("false");
		assertThat(Binder.get(environment).bind(METRICS_ENABLED, Boolean.class).get()).isFalse();
	}

	@Test
	void addsAliasesWithLowestPrecedenceAndTheirOrigin() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		PropertySource<?> last = environment.getPropertySources().stream().reduce((first, second) -> second).get();
		assertThat(last.getName()).isEqualTo(ObservabilityEnvironmentAliases.PROPERTY_SOURCE_NAME);
		assertThat(last).isInstanceOf(OriginLookup.class);
		@SuppressWarnings("unchecked")
		OriginLookup<String> origins = (OriginLookup<String>) last;
		assertThat(origins.getOrigin(METRICS_ENABLED)).hasToString("environment variable 'METRICS_ENABLED'");
	}

	@Test
	void explicitPropertyAddedBeforeTheAliasWins() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("commandLineArgs", Map.of(METRICS_ENABLED, "true")));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(METRICS_ENABLED)).isEqualTo("true");
	}

	@Test
	void applicationConfigurationBelowEnvironmentVariablesStillWinsOverTheAlias() {
		// Config data sits below the system environment, as after Boot loads
		// application.yml.
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of(METRICS_ENABLED, "true")));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(METRICS_ENABLED)).isEqualTo("true");
	}

	@Test
	void springBootEnvironmentVariableFormWinsOverTheAlias() {
		StandardEnvironment environment = environmentWithVariables(
				Map.of("METRICS_ENABLED", "false", "OBSERVABILITY_METRICS_ENABLED", "true"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(METRICS_ENABLED)).isEqualTo("true");
	}

	@Test
	void liftsBootUriTagLimitWhenMetricsAreOnAndNoVariableIsSet() {
		StandardEnvironment environment = environmentWithVariables(Map.of("PATH", "/usr/bin"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(aliasSource(environment).getPropertyNames()).containsExactly(BOOT_MAX_URI_TAGS);
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isEqualTo("2147483647");
		assertThat(environment.getProperty(METRICS_ENABLED)).isNull();
	}

	@Test
	void liftsBootUriTagLimitWithLowestPrecedenceNextToTheAliases() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "true"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		EnumerablePropertySource<?> aliases = aliasSource(environment);
		assertThat(aliases.getPropertyNames()).containsExactlyInAnyOrder(METRICS_ENABLED, BOOT_MAX_URI_TAGS);
		assertThat(aliases.getProperty(BOOT_MAX_URI_TAGS)).isEqualTo("2147483647");
		assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).get()).isSameAs(aliases);
		@SuppressWarnings("unchecked")
		OriginLookup<String> origins = (OriginLookup<String>) aliases;
		assertThat(String.valueOf(origins.getOrigin(BOOT_MAX_URI_TAGS))).doesNotContain("environment variable");
		assertThat(origins.getOrigin(METRICS_ENABLED)).hasToString("environment variable 'METRICS_ENABLED'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "off", "0" })
	void addsNothingWhenObservabilityIsDisabled(String value) {
		StandardEnvironment environment = environmentWithVariables(Map.of("PATH", "/usr/bin"));
		environment.getPropertySources()
			.addFirst(new MapPropertySource("commandLineArgs", Map.of("observability.enabled", value)));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(ObservabilityEnvironmentAliases.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "off", "0" })
	void keepsBootUriTagLimitWhenMetricsAreDisabled(String value) {
		StandardEnvironment environment = environmentWithVariables(Map.of("PATH", "/usr/bin"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of(METRICS_ENABLED, value)));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().contains(ObservabilityEnvironmentAliases.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isNull();
	}

	@Test
	void keepsBootUriTagLimitWhenMetricsEnabledVariableIsFalse() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(aliasSource(environment).getPropertyNames()).containsExactly(METRICS_ENABLED);
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isNull();
	}

	@Test
	void liftsBootUriTagLimitWhenApplicationConfigurationTurnsMetricsBackOn() {
		StandardEnvironment environment = environmentWithVariables(Map.of("METRICS_ENABLED", "false"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of(METRICS_ENABLED, "true")));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isEqualTo("2147483647");
	}

	@ParameterizedTest
	@ValueSource(strings = { "OBSERVABILITY_ENABLED", "OBSERVABILITY_METRICS_ENABLED" })
	void keepsBootUriTagLimitWhenSpringBootEnvironmentVariableFormDisablesMetrics(String variable) {
		StandardEnvironment environment = environmentWithVariables(Map.of(variable, "false"));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isNull();
	}

	@Test
	void explicitBootUriTagLimitWins() {
		StandardEnvironment environment = environmentWithVariables(Map.of("PATH", "/usr/bin"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("Config resource 'class path resource [application.yml]'",
					Map.of(BOOT_MAX_URI_TAGS, "250")));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(BOOT_MAX_URI_TAGS)).isEqualTo("250");
		assertThat(Binder.get(environment).bind(BOOT_MAX_URI_TAGS, Integer.class).get()).isEqualTo(250);
	}

	@Test
	void bootUriTagLimitIsLiftedInRunningApplication() {
		try (ConfigurableApplicationContext context = run(Map.of())) {
			assertThat(context.getEnvironment().getProperty(BOOT_MAX_URI_TAGS, Integer.class))
				.isEqualTo(Integer.MAX_VALUE);
		}
	}

	@Test
	void explicitBootUriTagLimitWinsInRunningApplication() {
		try (ConfigurableApplicationContext context = run(Map.of(), "--" + BOOT_MAX_URI_TAGS + "=250")) {
			assertThat(context.getEnvironment().getProperty(BOOT_MAX_URI_TAGS, Integer.class)).isEqualTo(250);
		}
	}

	@Test
	void bootUriTagLimitIsKeptInRunningApplicationWhenMetricsEnabledIsFalse() {
		try (ConfigurableApplicationContext context = run(Map.of("METRICS_ENABLED", "false"))) {
			assertThat(context.getEnvironment().getProperty(BOOT_MAX_URI_TAGS)).isNull();
		}
	}

	@Test
	void metricsAreOffInRunningApplicationWhenMetricsEnabledIsFalse() {
		try (ConfigurableApplicationContext context = run(Map.of("METRICS_ENABLED", "false"))) {
			assertThat(context.getEnvironment().getProperty(METRICS_ENABLED)).isEqualTo("false");
			assertThat(context.containsBean("observabilityApplicationTagFilter")).isFalse();
			assertThat(servletNames(context)).containsExactly("dispatcherServlet");
			assertThat(filterNames(context)).doesNotContain("observabilityHttpServerMetricsFilter");
			assertThat(get(context, "/metrics")).isEqualTo(404);
		}
	}

	@Test
	void metricsAreOnInRunningApplicationWhenMetricsEnabledIsTrue() {
		try (ConfigurableApplicationContext context = run(Map.of("METRICS_ENABLED", "true"))) {
			assertThat(context.containsBean("observabilityApplicationTagFilter")).isTrue();
			assertThat(servletNames(context)).contains("observabilityMetricsScrapeServlet");
			assertThat(filterNames(context)).contains("observabilityHttpServerMetricsFilter");
			assertThat(get(context, "/metrics")).isEqualTo(200);
		}
	}

	@Test
	void applicationConfigurationWinsOverMetricsEnabledInRunningApplication() {
		try (ConfigurableApplicationContext context = run(Map.of("METRICS_ENABLED", "false"),
				"--spring.config.name=alias-test")) {
			assertThat(context.getEnvironment().getProperty(METRICS_ENABLED)).isEqualTo("true");
			assertThat(context.containsBean("observabilityApplicationTagFilter")).isTrue();
			assertThat(get(context, "/metrics")).isEqualTo(200);
		}
	}

	@ParameterizedTest
	@CsvSource({ "METRICS_SAMPLE_RATE, observability.metrics.sample-rate, 0.25",
			"DETAILED_METRICS_ENABLED, observability.metrics.detailed.enabled, true" })
	void aliasesTheSeedsVariables(String variable, String property, String value) {
		StandardEnvironment environment = environmentWithVariables(Map.of(variable, value));
		this.aliases.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty(property)).isEqualTo(value);
		@SuppressWarnings("unchecked")
		OriginLookup<String> origins = (OriginLookup<String>) aliasSource(environment);
		assertThat(origins.getOrigin(property)).hasToString("environment variable '" + variable + "'");
	}

	@Test
	void sampleRateAndDetailedMetricsFromTheEnvironmentReachTheRunningApplication() {
		try (ConfigurableApplicationContext context = run(
				Map.of("METRICS_SAMPLE_RATE", "0.5", "DETAILED_METRICS_ENABLED", "true"))) {
			ObservabilityMetricsProperties properties = context.getBean(ObservabilityMetricsProperties.class);
			assertThat(properties.getSampleRate()).isEqualTo(0.5);
			assertThat(properties.getDetailed().isEnabled()).isTrue();
			assertThat(filterNames(context)).contains("observabilityRequestIdentityFilter");
		}
	}

	@Test
	void explicitSampleRateWinsOverTheVariable() {
		try (ConfigurableApplicationContext context = run(Map.of("METRICS_SAMPLE_RATE", "0.5"),
				"--observability.metrics.sample-rate=0.75")) {
			assertThat(context.getBean(ObservabilityMetricsProperties.class).getSampleRate()).isEqualTo(0.75);
		}
	}

	@Test
	void sampleRateOutOfRangeInTheVariableFailsNamingTheVariable() {
		Throwable failure = catchThrowable(() -> run(Map.of("METRICS_SAMPLE_RATE", "10")).close());
		FailureAnalysis analysis = new ObservabilityFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '10' for property 'observability.metrics.sample-rate' "
					+ "(from environment variable 'METRICS_SAMPLE_RATE').")
			.contains("Allowed: a number from 0.0 to 1.0");
	}

	private static EnumerablePropertySource<?> aliasSource(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources()
			.get(ObservabilityEnvironmentAliases.PROPERTY_SOURCE_NAME);
		assertThat(source).isInstanceOf(EnumerablePropertySource.class);
		return (EnumerablePropertySource<?>) source;
	}

	private static StandardEnvironment environmentWithVariables(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		replaceSystemEnvironment(environment, variables);
		return environment;
	}

	private static void replaceSystemEnvironment(ConfigurableEnvironment environment, Map<String, Object> variables) {
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
	}

	/**
	 * Runs the sample application with the given environment variables in place of the
	 * real ones, so that the post-processor registered in {@code spring.factories} sees
	 * them.
	 */
	private static ConfigurableApplicationContext run(Map<String, Object> variables, String... args) {
		StandardServletEnvironment environment = new StandardServletEnvironment();
		replaceSystemEnvironment(environment, variables);
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setEnvironment(environment);
		application.setDefaultProperties(Map.of("server.port", "0", "spring.main.banner-mode", "off"));
		return application.run(args);
	}

	private static int get(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return new SampleHttpClient(port).get(path).statusCode();
	}

	private static List<String> servletNames(ConfigurableApplicationContext context) {
		List<String> names = new ArrayList<>();
		for (ServletRegistrationBean<?> registration : context.getBeansOfType(ServletRegistrationBean.class).values()) {
			names.add(registration.getServletName());
		}
		return names;
	}

	private static List<String> filterNames(ConfigurableApplicationContext context) {
		List<String> names = new ArrayList<>();
		for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
			names.add(registration.getFilterName());
		}
		return names;
	}

}
