package dev.observability.spring.autoconfigure.endpoint;

import java.util.ArrayList;
import java.util.List;

import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpNormalizationAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpServerMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MetricsEndpointAutoConfiguration}.
 */
final class MetricsEndpointAutoConfigurationTests {

	private static final String SERVLET_NAME = "observabilityMetricsScrapeServlet";

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			ObservabilityAutoConfiguration.class, ObservabilityMetricsAutoConfiguration.class,
			HttpNormalizationAutoConfiguration.class, HttpServerMetricsAutoConfiguration.class,
			MetricsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS);

	@Test
	void autoConfiguresScrapeServletOnMetricsPath() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(MetricsEndpointProperties.class);
			ServletRegistrationBean<?> registration = scrapeServlet(context);
			assertThat(registration).isNotNull();
			assertThat(registration.getServlet()).isInstanceOf(MetricsScrapeServlet.class);
			assertThat(registration.getUrlMappings()).containsExactly("/metrics");
		});
	}

	@Test
	void scrapeServletServesPrometheusRegistry() {
		this.contextRunner.withPropertyValues("spring.application.name=movie-finder").run((context) -> {
			context.getBean(PrometheusMeterRegistry.class).counter("movies.rented").increment(3);
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/metrics");
			MockHttpServletResponse response = new MockHttpServletResponse();
			scrapeServlet(context).getServlet().service(request, response);
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getContentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
			assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
			assertThat(response.getContentAsString()).contains("movies_rented_total{application=\"movie-finder\"} 3.0");
		});
	}

	@Test
	void usesConfiguredPath() {
		this.contextRunner.withPropertyValues("observability.metrics.endpoint.path=/internal/prometheus")
			.run((context) -> assertThat(scrapeServlet(context).getUrlMappings())
				.containsExactly("/internal/prometheus"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "0" })
	void backsOffWhenMetricsAreDisabled(String value) {
		this.contextRunner.withPropertyValues("observability.metrics.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(scrapeServlet(context)).isNull();
			assertThat(context).doesNotHaveBean(MetricsEndpointProperties.class);
		});
	}

	@Test
	void backsOffWhenObservabilityIsDisabled() {
		this.contextRunner.withPropertyValues("observability.enabled=no")
			.run((context) -> assertThat(scrapeServlet(context)).isNull());
	}

	@Test
	void keepsScrapeServletWhenHttpMetricsAreDisabled() {
		this.contextRunner.withPropertyValues("observability.http.enabled=false").run((context) -> {
			assertThat(scrapeServlet(context)).isNotNull();
			assertThat(filterNames(context)).doesNotContain("observabilityHttpServerMetricsFilter");
		});
	}

	@Test
	void backsOffWhenPrometheusRegistryIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MeterRegistry.class);
			assertThat(context).doesNotHaveBean(PrometheusMeterRegistry.class);
			assertThat(scrapeServlet(context)).isNull();
			assertThat(filterNames(context)).contains("observabilityHttpServerMetricsFilter");
		});
	}

	@Test
	void backsOffWhenPrometheusExportIsDisabled() {
		this.contextRunner.withPropertyValues("management.prometheus.metrics.export.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PrometheusMeterRegistry.class);
			assertThat(scrapeServlet(context)).isNull();
		});
	}

	@Test
	void backsOffWhenServletApiIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpServlet.class))
			.run((context) -> assertThat(scrapeServlet(context)).isNull());
	}

	@Test
	void backsOffInApplicationThatIsNotAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS).run((context) -> {
			assertThat(context).hasSingleBean(PrometheusMeterRegistry.class);
			assertThat(context).doesNotHaveBean(ServletRegistrationBean.class);
			assertThat(context).doesNotHaveBean(MetricsEndpointProperties.class);
		});
	}

	private static ServletRegistrationBean<?> scrapeServlet(AssertableWebApplicationContext context) {
		List<ServletRegistrationBean<?>> matches = new ArrayList<>();
		for (ServletRegistrationBean<?> registration : context.getBeansOfType(ServletRegistrationBean.class).values()) {
			if (SERVLET_NAME.equals(registration.getServletName())) {
				matches.add(registration);
			}
		}
		assertThat(matches).hasSizeLessThanOrEqualTo(1);
		return matches.isEmpty() ? null : matches.get(0);
	}

	private static List<String> filterNames(AssertableWebApplicationContext context) {
		List<String> names = new ArrayList<>();
		for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
			names.add(registration.getFilterName());
		}
		return names;
	}

}
