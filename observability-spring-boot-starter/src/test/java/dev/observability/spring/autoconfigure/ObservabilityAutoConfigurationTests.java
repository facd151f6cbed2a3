package dev.observability.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.observability.core.http.HttpServerMetrics;
import dev.observability.spring.autoconfigure.cardinality.CardinalityEndpointAutoConfiguration;
import dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration;
import dev.observability.spring.autoconfigure.endpoint.MetricsEndpointAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpNormalizationAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpServerMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import io.micrometer.core.instrument.config.MeterFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.core.type.MethodMetadata;
import org.springframework.web.filter.ServerHttpObservationFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ObservabilityAutoConfiguration} and the master switch
 * {@code observability.enabled} across every auto-configuration of the starter.
 */
final class ObservabilityAutoConfigurationTests {

	private static final String OUR_PACKAGE = "dev.observability.";

	private static final String HTTP_FILTER = "observabilityHttpServerMetricsFilter";

	private static final String SCRAPE_SERVLET = "observabilityMetricsScrapeServlet";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withPropertyValues("management.endpoints.web.exposure.include=cardinality")
		.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
				ObservabilityMetricsAutoConfiguration.class, CardinalityLimitAutoConfiguration.class,
				CardinalityEndpointAutoConfiguration.class, HttpNormalizationAutoConfiguration.class,
				HttpServerMetricsAutoConfiguration.class, MetricsEndpointAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				ObservationAutoConfiguration.class, WebMvcObservationAutoConfiguration.class));

	@Test
	void autoConfiguresEveryFeatureByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ObservabilityProperties.class);
			assertThat(context).hasSingleBean(HttpServerMetrics.class);
			assertThat(context).hasBean("observabilityApplicationTagFilter");
			assertThat(context.getBean("observabilityApplicationTagFilter")).isInstanceOf(MeterFilter.class);
			assertThat(filterRegistrationNames(context)).contains(HTTP_FILTER);
			assertThat(servletRegistrationNames(context)).containsExactly(SCRAPE_SERVLET);
		});
	}

	@Test
	void replacesSpringObservationFilterByDefault() {
		this.contextRunner.run((context) -> {
			List<FilterRegistrationBean<?>> observationFilters = observationFilterRegistrations(context);
			assertThat(observationFilters).hasSize(1);
			assertThat(observationFilters.get(0).isEnabled()).isFalse();
			assertThat(context).doesNotHaveBean("webMvcObservationFilter");
		});
	}

	@Test
	void backsOffEntirelyWhenObservabilityIsDisabled() {
		this.contextRunner.withPropertyValues("observability.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(beansOfOurs(context)).isEmpty();
			assertThat(context).doesNotHaveBean(ObservabilityProperties.class);
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(context).doesNotHaveBean("observabilityApplicationTagFilter");
			assertThat(filterRegistrationNames(context)).doesNotContain(HTTP_FILTER);
			assertThat(servletRegistrationNames(context)).isEmpty();
		});
	}

	@Test
	void findsBeansOfOursWhenEnabledSoTheDisabledCheckIsMeaningful() {
		this.contextRunner.run((context) -> assertThat(beansOfOurs(context)).contains("httpServerMetrics",
				"httpServerMetricsFilter", "metricsScrapeServlet", "observabilityApplicationTagFilter",
				"serverHttpObservationFilterReplacedByObservabilityStarter", "pathNormalizer", "cardinalityLimiter",
				"cardinalityLimitMeterFilter", "cardinalityEndpoint", "cardinalityHealthIndicator",
				ObservabilityAutoConfiguration.class.getName()));
	}

	@Test
	void restoresSpringObservationFilterWhenObservabilityIsDisabled() {
		this.contextRunner.withPropertyValues("observability.enabled=false").run((context) -> {
			assertThat(context).hasBean("webMvcObservationFilter");
			List<FilterRegistrationBean<?>> observationFilters = observationFilterRegistrations(context);
			assertThat(observationFilters).hasSize(1);
			assertThat(observationFilters.get(0).isEnabled()).isTrue();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "FALSE", "no", "off", "0" })
	void acceptsEveryFalseSpellingForTheMasterSwitch(String value) {
		this.contextRunner.withPropertyValues("observability.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(beansOfOurs(context)).isEmpty();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "True", "yes", "on", "1" })
	void acceptsEveryTrueSpellingForTheMasterSwitch(String value) {
		this.contextRunner.withPropertyValues("observability.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(HttpServerMetrics.class);
			assertThat(servletRegistrationNames(context)).containsExactly(SCRAPE_SERVLET);
		});
	}

	@Test
	void failsOnAMasterSwitchThatIsNotABoolean() {
		this.contextRunner.withPropertyValues("observability.enabled=maybe").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maybe");
		});
	}

	/**
	 * Names of the beans whose type, definition class or declaring configuration class
	 * belongs to one of our packages.
	 */
	static List<String> beansOfOurs(AssertableWebApplicationContext context) {
		ConfigurableListableBeanFactory beanFactory = context.getSourceApplicationContext().getBeanFactory();
		List<String> ours = new ArrayList<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			Class<?> type = context.getType(name);
			if (isOurs(name) || (type != null && isOurs(type.getName())) || isOurs(definition.getBeanClassName())
					|| isOurs(definition.getResourceDescription()) || isOurs(declaringClass(beanFactory, definition))
					|| isOurs(String.valueOf(definition.getSource()))) {
				ours.add(name);
			}
		}
		for (String name : beanFactory.getSingletonNames()) {
			Object singleton = beanFactory.getSingleton(name);
			if (singleton != null && isOurs(singleton.getClass().getName()) && !ours.contains(name)) {
				ours.add(name);
			}
		}
		return ours;
	}

	private static String declaringClass(ConfigurableListableBeanFactory beanFactory, BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated) {
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			if (factoryMethod != null) {
				return factoryMethod.getDeclaringClassName();
			}
		}
		String factoryBean = definition.getFactoryBeanName();
		if (factoryBean != null) {
			return beanFactory.getBeanDefinition(factoryBean).getBeanClassName();
		}
		return null;
	}

	private static boolean isOurs(String text) {
		return text != null && text.contains(OUR_PACKAGE);
	}

	static List<String> filterRegistrationNames(AssertableWebApplicationContext context) {
		List<String> names = new ArrayList<>();
		context.getBeansOfType(FilterRegistrationBean.class)
			.values()
			.forEach((bean) -> names.add(bean.getFilterName()));
		return names;
	}

	static List<String> servletRegistrationNames(AssertableWebApplicationContext context) {
		List<String> names = new ArrayList<>();
		context.getBeansOfType(ServletRegistrationBean.class)
			.values()
			.forEach((bean) -> names.add(bean.getServletName()));
		return names;
	}

	static List<FilterRegistrationBean<?>> observationFilterRegistrations(AssertableWebApplicationContext context) {
		List<FilterRegistrationBean<?>> registrations = new ArrayList<>();
		for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
			if (registration.getFilter() instanceof ServerHttpObservationFilter) {
				registrations.add(registration);
			}
		}
		return registrations;
	}

}
