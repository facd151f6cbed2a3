package dev.observability.spring.autoconfigure.cardinality;

import java.util.List;
import java.util.Map;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.cardinality.CardinalityEndpoint.CardinalityReport;
import dev.observability.spring.autoconfigure.cardinality.CardinalityEndpoint.MetricReport;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.ConfigurableConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CardinalityEndpointAutoConfiguration}, {@link CardinalityEndpoint} and
 * {@link CardinalityHealthIndicator}.
 */
final class CardinalityEndpointAutoConfigurationTests {

	private static final String EXPOSE = "management.endpoints.web.exposure.include=cardinality";

	private static final String HEALTH_INDICATOR = "cardinalityHealthIndicator";

	/**
	 * With the conversion service SpringApplication installs, so that {@code access=none}
	 * is read as users write it.
	 */
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment()
			.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
		.withConfiguration(
				AutoConfigurations.of(ObservabilityAutoConfiguration.class, CardinalityLimitAutoConfiguration.class,
						CardinalityEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
						CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void autoConfiguresEndpointWhenExposedOverHttp() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.run((context) -> assertThat(context).hasSingleBean(CardinalityEndpoint.class));
	}

	@Test
	void autoConfiguresEndpointWhenEveryEndpointIsExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasSingleBean(CardinalityEndpoint.class));
	}

	@Test
	void autoConfiguresEndpointWhenExposedOverJmx() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=cardinality")
			.run((context) -> assertThat(context).hasSingleBean(CardinalityEndpoint.class));
	}

	@Test
	void backsOffEndpointWhenNotExposed() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CardinalityEndpoint.class);
			assertThat(context).hasBean(HEALTH_INDICATOR);
		});
	}

	@Test
	void backsOffEndpointWhenExcludedFromExposure() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoints.web.exposure.exclude=cardinality")
			.run((context) -> assertThat(context).doesNotHaveBean(CardinalityEndpoint.class));
	}

	@Test
	void backsOffEndpointWhenItsAccessIsNone() {
		this.contextRunner.withPropertyValues(EXPOSE, "management.endpoint.cardinality.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(CardinalityEndpoint.class));
	}

	@Test
	void backsOffEndpointWhenDefaultAccessIsNone() {
		this.contextRunner.withPropertyValues(EXPOSE, "management.endpoints.access.default=none")
			.run((context) -> assertThat(context).doesNotHaveBean(CardinalityEndpoint.class));
	}

	@Test
	void keepsEndpointWhenDefaultAccessIsNoneButItsAccessIsReadOnly() {
		this.contextRunner
			.withPropertyValues(EXPOSE, "management.endpoints.access.default=none",
					"management.endpoint.cardinality.access=read-only")
			.run((context) -> assertThat(context).hasSingleBean(CardinalityEndpoint.class));
	}

	@Test
	void backsOffEndpointWithoutActuator() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(CardinalityEndpoint.class);
				assertThat(context).hasSingleBean(CardinalityLimiter.class);
			});
	}

	@Test
	void backsOffHealthIndicatorWithoutSpringBootHealth() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(HEALTH_INDICATOR);
				assertThat(context).hasSingleBean(CardinalityEndpoint.class);
			});
	}

	@Test
	void allowsCustomEndpointToBeUsed() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withUserConfiguration(CustomEndpointConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(CardinalityEndpoint.class);
				assertThat(context).hasBean("customCardinalityEndpoint");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "observability.metrics.enabled=false", "observability.enabled=false" })
	void backsOffEntirelyWhenTheLimitsAreOff(String property) {
		this.contextRunner.withPropertyValues(EXPOSE, property).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CardinalityLimiter.class);
			assertThat(context).doesNotHaveBean(CardinalityEndpoint.class);
			assertThat(context).doesNotHaveBean(HEALTH_INDICATOR);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "observability.metrics.enabled=false", "observability.enabled=false" })
	void backsOffEntirelyWhenTheLimitsAreOffEvenWithUserDefinedLimiter(String property) {
		this.contextRunner.withPropertyValues(EXPOSE, property)
			.withUserConfiguration(CustomLimiterConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(CardinalityEndpoint.class);
				assertThat(context).doesNotHaveBean(HEALTH_INDICATOR);
			});
	}

	@Test
	void usesUserDefinedLimiter() {
		this.contextRunner.withPropertyValues(EXPOSE)
			.withUserConfiguration(CustomLimiterConfiguration.class)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (int i = 0; i < 3; i++) {
					registry.counter("orders.placed", "value", "v" + i).increment();
				}
				CardinalityReport report = context.getBean(CardinalityEndpoint.class).cardinality();
				assertThat(report.overflowed()).containsExactly("orders.placed");
				assertThat(metric(report, "orders.placed").maxValuesPerTag()).isEqualTo(2);
			});
	}

	@Test
	void reportsLimitsAndOverflowedTags() {
		this.contextRunner.withPropertyValues(EXPOSE, "observability.metrics.cardinality.max-values-per-tag=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (int i = 0; i < 5; i++) {
					registry.counter("orders.placed", "value", "v" + i, "region", "eu").increment();
				}
				registry.counter("orders.shipped", "region", "eu").increment();
				CardinalityReport report = context.getBean(CardinalityEndpoint.class).cardinality();
				assertThat(report.maxTagsPerMetric()).isEqualTo(10);
				assertThat(report.maxValuesPerTag()).isEqualTo(3);
				assertThat(report.overflowed()).containsExactly("orders.placed");
				MetricReport placed = metric(report, "orders.placed");
				assertThat(placed.series()).isEqualTo(4);
				assertThat(placed.maxValuesPerTag()).isEqualTo(3);
				assertThat(placed.valuesPerTag()).containsEntry("value", 3).containsEntry("region", 1);
				assertThat(placed.overflowsPerTag()).containsExactly(Map.entry("value", 2L));
				assertThat(placed.refused()).isFalse();
				MetricReport shipped = metric(report, "orders.shipped");
				assertThat(shipped.series()).isEqualTo(1);
				assertThat(shipped.overflowsPerTag()).isEmpty();
			});
	}

	@Test
	void reportsOverrideOfAMetricWithDotsInItsName() {
		this.contextRunner
			.withPropertyValues(EXPOSE,
					"observability.metrics.cardinality.overrides[http.server.requests].max-values-per-tag=500")
			.run((context) -> {
				context.getBean(MeterRegistry.class).counter("http.server.requests", "uri", "/a").increment();
				CardinalityReport report = context.getBean(CardinalityEndpoint.class).cardinality();
				assertThat(report.maxValuesPerTag()).isEqualTo(100);
				assertThat(metric(report, "http.server.requests").maxValuesPerTag()).isEqualTo(500);
			});
	}

	@Test
	void reportsTheOwnBudgetsOfDetailedMetricsTags() {
		this.contextRunner
			.withPropertyValues(EXPOSE, "observability.metrics.detailed.max-users=20",
					"observability.metrics.detailed.max-orgs=5")
			.run((context) -> {
				// The HTTP filter spends these budgets through the limiter, once per
				// request.
				CardinalityLimiter limiter = context.getBean(CardinalityLimiter.class);
				limiter.limit("http.server.requests", "user", "alice");
				limiter.limit("http.server.requests", "org", "acme");
				MetricReport requests = metric(context.getBean(CardinalityEndpoint.class).cardinality(),
						"http.server.requests");
				assertThat(requests.maxValuesPerTag()).isEqualTo(100);
				assertThat(requests.maxValuesOfTag()).containsOnly(Map.entry("user", 20), Map.entry("org", 5));
			});
	}

	@Test
	void autoConfiguresHealthIndicatorThatIsUpWithoutOverflow() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean(HEALTH_INDICATOR);
			Health health = context.getBean(HEALTH_INDICATOR, HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("overflowed", List.of()).containsEntry("refused", List.of());
		});
	}

	@Test
	void healthIndicatorStaysUpAndNamesOverflowedAndRefusedMetrics() {
		this.contextRunner
			.withPropertyValues("observability.metrics.cardinality.max-values-per-tag=2",
					"observability.metrics.cardinality.max-tags-per-metric=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (int i = 0; i < 3; i++) {
					registry.counter("orders.placed", "value", "v" + i).increment();
				}
				registry.counter("wide.meter", "a", "1", "b", "2", "c", "3", "d", "4").increment();
				Health health = context.getBean(HEALTH_INDICATOR, HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("overflowed", List.of("orders.placed [value]"))
					.containsEntry("refused", List.of("wide.meter"));
			});
	}

	@Test
	void backsOffHealthIndicatorWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.cardinality.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HEALTH_INDICATOR);
			assertThat(context).hasSingleBean(CardinalityLimiter.class);
		});
	}

	@Test
	void backsOffHealthIndicatorWhenHealthIndicatorsAreDisabledByDefault() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HEALTH_INDICATOR));
	}

	@Test
	void keepsHealthIndicatorEnabledExplicitlyWhenDisabledByDefault() {
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false",
					"management.health.cardinality.enabled=true")
			.run((context) -> assertThat(context).hasBean(HEALTH_INDICATOR));
	}

	@Test
	void allowsCustomHealthIndicatorToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomHealthIndicatorConfiguration.class).run((context) -> {
			assertThat(context).hasBean(HEALTH_INDICATOR);
			assertThat(context.getBean(HEALTH_INDICATOR, HealthIndicator.class).health().getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	private static MetricReport metric(CardinalityReport report, String name) {
		return report.metrics()
			.stream()
			.filter((metric) -> metric.metric().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No entry for " + name + " in " + report));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomLimiterConfiguration {

		@Bean
		CardinalityLimiter customCardinalityLimiter() {
			return CardinalityLimiter.builder().maxValuesPerTag(2).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		@Bean
		CardinalityEndpoint customCardinalityEndpoint(CardinalityLimiter limiter, MeterRegistry registry) {
			return new CardinalityEndpoint(limiter, registry, new CardinalityProperties());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomHealthIndicatorConfiguration {

		@Bean
		HealthIndicator cardinalityHealthIndicator() {
			return () -> Health.outOfService().build();
		}

	}

}
