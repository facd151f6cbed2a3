package dev.observability.spring.autoconfigure.http;

import java.util.ArrayList;
import java.util.List;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration;
import dev.observability.spring.autoconfigure.endpoint.MetricsEndpointAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpServerMetricsAutoConfiguration}.
 */
final class HttpServerMetricsAutoConfigurationTests {

	private static final String FILTER_NAME = "observabilityHttpServerMetricsFilter";

	private static final String REPLACED_OBSERVATION_FILTER = "serverHttpObservationFilter"
			+ "ReplacedByObservabilityStarter";

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			ObservabilityAutoConfiguration.class, ObservabilityMetricsAutoConfiguration.class,
			HttpNormalizationAutoConfiguration.class, HttpServerMetricsAutoConfiguration.class,
			MetricsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, ObservationAutoConfiguration.class,
			WebMvcObservationAutoConfiguration.class);

	/** Spring Boot's OpenTelemetry SDK, whose tracer the server spans use. */
	private static final AutoConfigurations TRACING = AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS);

	@Test
	void autoConfiguresHttpServerMetricsFilter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HttpServerMetrics.class);
			assertThat(context).hasSingleBean(ObservabilityHttpProperties.class);
			FilterRegistrationBean<?> registration = httpFilterRegistration(context);
			assertThat(registration).isNotNull();
			assertThat(registration.getFilter()).isInstanceOf(HttpServerMetricsFilter.class);
			assertThat(registration.isEnabled()).isTrue();
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 1);
			assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
		});
	}

	@Test
	void startsServerSpansWhenTracingIsOn() {
		this.contextRunner.withConfiguration(TRACING)
			.withPropertyValues("management.tracing.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(HttpServerSpans.class));
	}

	@Test
	void startsNoServerSpanWhenTracingIsOff() {
		this.contextRunner.withConfiguration(TRACING)
			.withPropertyValues("management.tracing.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpServerSpans.class));
		this.contextRunner.withConfiguration(TRACING)
			.run((context) -> assertThat(context).doesNotHaveBean(HttpServerSpans.class));
	}

	@Test
	void startsNoServerSpanWithoutOpenTelemetry() {
		this.contextRunner.withPropertyValues("management.tracing.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpServerSpans.class));
	}

	@Test
	void filterRecordsRequestsIntoTheRegistry() {
		this.contextRunner.withPropertyValues("spring.application.name=movie-finder").run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/movies/42");
			request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/movies/{id}");
			filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
			Timer timer = context.getBean(MeterRegistry.class)
				.get("http.server.requests")
				.tags("uri", "/movies/{id}", "method", "GET", "status", "200", "outcome", "SUCCESS", "exception",
						"none", "application", "movie-finder")
				.timer();
			assertThat(timer.count()).isEqualTo(1);
		});
	}

	@Test
	void usesConfiguredLatencyBuckets() {
		this.contextRunner.withPropertyValues("observability.http.latency-buckets=50ms,1s").run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/movies/42");
			request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/movies/{id}");
			filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).contains("http_server_requests_seconds_bucket{")
				.containsPattern("http_server_requests_seconds_bucket\\{[^\\n]*le=\"0\\.05\"")
				.containsPattern("http_server_requests_seconds_bucket\\{[^\\n]*le=\"1\\.0\"")
				.doesNotContainPattern("http_server_requests_seconds_bucket\\{[^\\n]*le=\"0\\.005\"");
		});
	}

	@Test
	void usesConfiguredSizeBuckets() {
		this.contextRunner.withPropertyValues("observability.http.size-buckets=64B,2KB").run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/movies/42");
			request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/movies/{id}");
			filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).containsPattern("http_server_response_size_bytes_bucket\\{[^\\n]*le=\"64\\.0\"")
				.containsPattern("http_server_response_size_bytes_bucket\\{[^\\n]*le=\"2048\\.0\"")
				.doesNotContainPattern("http_server_response_size_bytes_bucket\\{[^\\n]*le=\"100\\.0\"");
		});
	}

	@Test
	void sampleRateKeepsCountsExactAndMovesTheHistogram() {
		this.contextRunner.withPropertyValues("observability.metrics.sample-rate=0").run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			for (int i = 0; i < 3; i++) {
				MockHttpServletRequest request = new MockHttpServletRequest("GET", "/movies/42");
				request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/movies/{id}");
				filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("http.server.requests").timer().count()).isEqualTo(3);
			assertThat(registry.get("http.server.requests.sampled").timer().count()).isZero();
			assertThat(registry.get("http.server.response.size").summary().count()).isZero();
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			assertThat(scrape).contains("# TYPE http_server_requests_seconds summary")
				.contains("# TYPE http_server_requests_sampled_seconds histogram")
				.doesNotContain("http_server_requests_seconds_bucket");
		});
	}

	@Test
	void sampleRateOfOneIsTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(ObservabilityMetricsProperties.class).getSampleRate()).isEqualTo(1.0);
			Filter filter = httpFilterRegistration(context).getFilter();
			filter.doFilter(new MockHttpServletRequest("GET", "/x"), new MockHttpServletResponse(),
					new MockFilterChain());
			assertThat(context.getBean(MeterRegistry.class).find("http.server.requests.sampled").meters()).isEmpty();
		});
	}

	@Test
	void replacesSpringObservationFilterWithDisabledRegistration() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean("webMvcObservationFilter");
			assertThat(context).hasBean(REPLACED_OBSERVATION_FILTER);
			FilterRegistrationBean<?> replaced = context.getBean(REPLACED_OBSERVATION_FILTER,
					FilterRegistrationBean.class);
			assertThat(replaced.getFilter()).isInstanceOf(ServerHttpObservationFilter.class);
			assertThat(replaced.isEnabled()).isFalse();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "0" })
	void backsOffWhenHttpIsDisabled(String value) {
		this.contextRunner.withPropertyValues("observability.http.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(httpFilterRegistration(context)).isNull();
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(context).doesNotHaveBean(REPLACED_OBSERVATION_FILTER);
			assertThat(servletNames(context)).containsExactly("observabilityMetricsScrapeServlet");
		});
	}

	@Test
	void restoresSpringObservationFilterWhenHttpIsDisabled() {
		this.contextRunner.withPropertyValues("observability.http.enabled=false")
			.run((context) -> assertThat(context).hasBean("webMvcObservationFilter"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "0" })
	void backsOffWhenMetricsAreDisabled(String value) {
		this.contextRunner.withPropertyValues("observability.metrics.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(httpFilterRegistration(context)).isNull();
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(servletNames(context)).isEmpty();
		});
	}

	@Test
	void backsOffWhenObservabilityIsDisabled() {
		this.contextRunner.withPropertyValues("observability.enabled=False").run((context) -> {
			assertThat(httpFilterRegistration(context)).isNull();
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
		});
	}

	@Test
	void backsOffInApplicationThatIsNotAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MeterRegistry.class);
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
			assertThat(context).doesNotHaveBean(ServletRegistrationBean.class);
		});
	}

	@Test
	void backsOffInReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
			assertThat(context).doesNotHaveBean(ServletRegistrationBean.class);
		});
	}

	@Test
	void backsOffWhenServletFilterIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Filter.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
			assertThat(httpFilterRegistration(context)).isNull();
		});
	}

	@Test
	void backsOffWithoutMeterRegistry() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
					HttpNormalizationAutoConfiguration.class, HttpServerMetricsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HttpServerMetrics.class);
				assertThat(httpFilterRegistration(context)).isNull();
			});
	}

	@Test
	void recordsWithoutReplacingAnythingWhenSpringObservationFilterIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ServerHttpObservationFilter.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(HttpServerMetrics.class);
				assertThat(httpFilterRegistration(context)).isNotNull();
				assertThat(context).doesNotHaveBean(REPLACED_OBSERVATION_FILTER);
			});
	}

	@Test
	void keepsUserDefinedSpringObservationFilter() {
		this.contextRunner.withUserConfiguration(UserObservationFilterConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(REPLACED_OBSERVATION_FILTER);
			assertThat(context).hasSingleBean(ServerHttpObservationFilter.class);
			assertThat(httpFilterRegistration(context)).isNotNull();
		});
	}

	@Test
	void allowsCustomHttpServerMetricsToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomHttpServerMetricsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpServerMetrics.class);
			assertThat(context.getBean(HttpServerMetrics.class))
				.isSameAs(context.getBean(CustomHttpServerMetricsConfiguration.class).metrics);
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/movies/42");
			request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/movies/{id}");
			filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
			SimpleMeterRegistry custom = context.getBean(CustomHttpServerMetricsConfiguration.class).registry;
			assertThat(custom.get("http.server.requests").tag("uri", "/movies/{id}").timer().count()).isEqualTo(1);
			assertThat(context.getBean(PrometheusMeterRegistry.class).find("http.server.requests").timer()).isNull();
		});
	}

	@Test
	void autoConfiguresPathNormalizerWithDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PathNormalizer.class);
			ObservabilityHttpProperties.Normalization normalization = context.getBean(ObservabilityHttpProperties.class)
				.getNormalization();
			assertThat(normalization.getMaxSegments()).isEqualTo(5);
			assertThat(normalization.getRules()).isEmpty();
			assertThat(recordUnmatched(context, "/users/123/orders/9/items/1/notes"))
				.containsExactly("/users/{id}/orders/{id}/items/...");
		});
	}

	@Test
	void filterTagsUnmatchedRequestsWithNormalizedPath() {
		this.contextRunner.run((context) -> assertThat(recordUnmatched(context, "/users/123?tab=2",
				"/users/456;jsessionid=1", "/files/3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
			.containsExactlyInAnyOrder("/users/{id}", "/files/{uuid}"));
	}

	@Test
	void filterTagsUnmatchedRequestsRelativeToTheContextPath() {
		this.contextRunner.run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/shop/users/7");
			request.setContextPath("/shop");
			MockHttpServletResponse response = new MockHttpServletResponse();
			response.setStatus(404);
			filter.doFilter(request, response, new MockFilterChain());
			assertThat(uris(context)).containsExactly("/users/{id}");
		});
	}

	@Test
	void filterTreatsStaticResourceFallbackAsUnmatched() {
		this.contextRunner.run((context) -> {
			Filter filter = httpFilterRegistration(context).getFilter();
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/assets/42/logo.png");
			request.setAttribute(HttpServerMetricsFilter.ROUTE_ATTRIBUTE, "/**");
			MockHttpServletResponse response = new MockHttpServletResponse();
			response.setStatus(404);
			filter.doFilter(request, response, new MockFilterChain());
			assertThat(uris(context)).containsExactly("/assets/{id}/logo.png");
		});
	}

	@Test
	void usesConfiguredNormalizationRulesAndMaxSegments() {
		this.contextRunner
			.withPropertyValues("observability.http.normalization.max-segments=3",
					"observability.http.normalization.rules[0].pattern=[a-z]{2}-[A-Z]{2}",
					"observability.http.normalization.rules[0].replacement={locale}",
					"observability.http.normalization.rules[1].pattern=v[0-9]+",
					"observability.http.normalization.rules[1].replacement={version}")
			.run((context) -> {
				List<ObservabilityHttpProperties.Rule> rules = context.getBean(ObservabilityHttpProperties.class)
					.getNormalization()
					.getRules();
				assertThat(rules).extracting(ObservabilityHttpProperties.Rule::getPattern)
					.containsExactly("[a-z]{2}-[A-Z]{2}", "v[0-9]+");
				assertThat(recordUnmatched(context, "/en-GB/v2/users/123", "/fr-FR/v10/docs"))
					.containsExactlyInAnyOrder("/{locale}/{version}/users/...", "/{locale}/{version}/docs");
			});
	}

	@Test
	void allowsCustomPathNormalizerToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomPathNormalizerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(PathNormalizer.class);
			assertThat(context.getBean(PathNormalizer.class))
				.isSameAs(context.getBean(CustomPathNormalizerConfiguration.class).normalizer);
			assertThat(recordUnmatched(context, "/tenant-acme/reports/2024")).containsExactly("/{tenant}/...");
		});
	}

	@Test
	void foldsUnmatchedPathsBeyondTheUriBudgetIntoOverflow() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(CardinalityLimitAutoConfiguration.class))
			.withPropertyValues("observability.metrics.cardinality.max-values-per-tag=2")
			.run((context) -> {
				assertThat(recordUnmatched(context, "/alpha", "/beta", "/gamma", "/delta"))
					.containsExactlyInAnyOrder("/alpha", "/beta", CardinalityLimiter.OVERFLOW_VALUE);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("http.server.requests")
					.tag("uri", CardinalityLimiter.OVERFLOW_VALUE)
					.timer()
					.count()).isEqualTo(2);
				assertThat(registry.get(CardinalityLimiter.OVERFLOW_METER)
					.tags("metric", "http.server.requests", "tag", "uri")
					.functionCounter()
					.count()).isEqualTo(2);
			});
	}

	@Test
	void backsOffPathNormalizerWhenHttpIsDisabled() {
		this.contextRunner.withPropertyValues("observability.http.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PathNormalizer.class));
	}

	/**
	 * Sends requests that matched no route (404, no route attribute) through the filter.
	 * @return the {@code uri} tags of the 404 series
	 */
	private static List<String> recordUnmatched(AssertableWebApplicationContext context, String... paths)
			throws Exception {
		Filter filter = httpFilterRegistration(context).getFilter();
		for (String path : paths) {
			int query = path.indexOf('?');
			MockHttpServletRequest request = new MockHttpServletRequest("GET",
					(query < 0) ? path : path.substring(0, query));
			if (query >= 0) {
				request.setQueryString(path.substring(query + 1));
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			response.setStatus(404);
			filter.doFilter(request, response, new MockFilterChain());
		}
		return uris(context);
	}

	private static List<String> uris(AssertableWebApplicationContext context) {
		List<String> uris = new ArrayList<>();
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		for (Timer timer : registry.find("http.server.requests").tag("status", "404").timers()) {
			uris.add(timer.getId().getTag("uri"));
		}
		return uris;
	}

	private static FilterRegistrationBean<?> httpFilterRegistration(AssertableWebApplicationContext context) {
		List<FilterRegistrationBean<?>> matches = new ArrayList<>();
		for (FilterRegistrationBean<?> registration : context.getBeansOfType(FilterRegistrationBean.class).values()) {
			if (FILTER_NAME.equals(registration.getFilterName())) {
				matches.add(registration);
			}
		}
		assertThat(matches).hasSizeLessThanOrEqualTo(1);
		return matches.isEmpty() ? null : matches.get(0);
	}

	private static List<String> servletNames(AssertableWebApplicationContext context) {
		List<String> names = new ArrayList<>();
		for (ServletRegistrationBean<?> registration : context.getBeansOfType(ServletRegistrationBean.class).values()) {
			names.add(registration.getServletName());
		}
		return names;
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomHttpServerMetricsConfiguration {

		final SimpleMeterRegistry registry = new SimpleMeterRegistry();

		final HttpServerMetrics metrics = HttpServerMetrics.builder(this.registry).build();

		@Bean
		HttpServerMetrics customHttpServerMetrics() {
			return this.metrics;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPathNormalizerConfiguration {

		final PathNormalizer normalizer = PathNormalizer.builder()
			.maxSegments(1)
			.rule("tenant-[a-z]+", "{tenant}")
			.build();

		@Bean
		PathNormalizer customPathNormalizer() {
			return this.normalizer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserObservationFilterConfiguration {

		@Bean
		ServerHttpObservationFilter userObservationFilter() {
			return new ServerHttpObservationFilter(ObservationRegistry.NOOP);
		}

	}

}
