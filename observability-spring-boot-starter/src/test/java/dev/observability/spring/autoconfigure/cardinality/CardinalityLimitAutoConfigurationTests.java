package dev.observability.spring.autoconfigure.cardinality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.cardinality.MetricCardinality;
import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CardinalityLimitAutoConfiguration} and {@link CardinalityProperties}.
 */
final class CardinalityLimitAutoConfigurationTests {

	private static final String OVERFLOW = CardinalityLimiter.OVERFLOW_VALUE;

	private static final String OVERRIDES = "observability.metrics.cardinality.overrides";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
				CardinalityLimitAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void autoConfiguresLimiterAndMeterFilter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CardinalityLimiter.class);
			assertThat(context).hasSingleBean(CardinalityProperties.class);
			assertThat(context).hasBean("cardinalityLimitMeterFilter");
			assertThat(context.getBean("cardinalityLimitMeterFilter")).isInstanceOf(MeterFilter.class);
		});
	}

	@Test
	void bindsDefaultLimits() {
		this.contextRunner.run((context) -> {
			CardinalityProperties properties = context.getBean(CardinalityProperties.class);
			assertThat(properties.getMaxTagsPerMetric()).isEqualTo(10);
			assertThat(properties.getMaxValuesPerTag()).isEqualTo(100);
			assertThat(properties.getOverrides()).isEmpty();
		});
	}

	@Test
	void foldsValuesBeyondTheDefaultBudgetIntoOverflowAndCountsThem() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			countDistinctValues(registry, "orders.placed", 150);
			assertThat(valuesOf(registry, "orders.placed")).hasSize(101)
				.contains("v0", "v99", OVERFLOW)
				.doesNotContain("v100", "v149");
			assertThat(registry.get("orders.placed").tag("value", OVERFLOW).counter().count()).isEqualTo(50);
			assertThat(registry.get("orders.placed").tag("value", "v7").counter().count()).isEqualTo(1);
			assertThat(registry.get("orders.placed").tag("value", OVERFLOW).counter().getId().getTag("region"))
				.isEqualTo("eu");
			assertThat(overflowCount(registry, "orders.placed", "value")).isEqualTo(50);
		});
	}

	@Test
	void appliesConfiguredGlobalValueLimit() {
		this.contextRunner.withPropertyValues("observability.metrics.cardinality.max-values-per-tag=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				countDistinctValues(registry, "orders.placed", 5);
				assertThat(valuesOf(registry, "orders.placed")).containsExactlyInAnyOrder("v0", "v1", "v2", OVERFLOW);
				assertThat(overflowCount(registry, "orders.placed", "value")).isEqualTo(2);
			});
	}

	@Test
	void refusesMetersWithMoreTagsThanConfigured() {
		this.contextRunner.withPropertyValues("observability.metrics.cardinality.max-tags-per-metric=2")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				registry.counter("wide.meter", "a", "1", "b", "2", "c", "3").increment();
				registry.counter("narrow.meter", "a", "1", "b", "2").increment();
				assertThat(registry.find("wide.meter").meters()).isEmpty();
				assertThat(registry.get("narrow.meter").counter().count()).isEqualTo(1);
				assertThat(context.getBean(CardinalityLimiter.class).snapshot()).filteredOn(MetricCardinality::refused)
					.extracting(MetricCardinality::metric)
					.containsExactly("wide.meter");
			});
	}

	@Test
	void bindsOverrideForMetricNameWithDotsInBrackets() {
		this.contextRunner
			.withPropertyValues(OVERRIDES + "[http.server.requests].max-values-per-tag=500",
					OVERRIDES + "[http.server.requests].max-tags-per-metric=12")
			.run((context) -> {
				CardinalityProperties properties = context.getBean(CardinalityProperties.class);
				assertThat(properties.getOverrides()).containsOnlyKeys("http.server.requests");
				CardinalityProperties.Limits limits = properties.getOverrides().get("http.server.requests");
				assertThat(limits.getMaxValuesPerTag()).isEqualTo(500);
				assertThat(limits.getMaxTagsPerMetric()).isEqualTo(12);
			});
	}

	@Test
	void appliesOverrideToItsMetricOnly() {
		this.contextRunner.withPropertyValues(OVERRIDES + "[http.server.requests].max-values-per-tag=500")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				countDistinctValues(registry, "http.server.requests", 150);
				countDistinctValues(registry, "orders.placed", 150);
				assertThat(valuesOf(registry, "http.server.requests")).hasSize(150).doesNotContain(OVERFLOW);
				assertThat(valuesOf(registry, "orders.placed")).hasSize(101).contains(OVERFLOW);
				assertThat(budgetOf(context, "http.server.requests")).isEqualTo(500);
				assertThat(budgetOf(context, "orders.placed")).isEqualTo(100);
			});
	}

	@Test
	void appliesTagLimitOverrideToItsMetricOnly() {
		this.contextRunner
			.withPropertyValues("observability.metrics.cardinality.max-tags-per-metric=2",
					OVERRIDES + "[wide.meter].max-tags-per-metric=3")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				registry.counter("wide.meter", "a", "1", "b", "2", "c", "3").increment();
				registry.counter("other.meter", "a", "1", "b", "2", "c", "3").increment();
				assertThat(registry.get("wide.meter").counter().count()).isEqualTo(1);
				assertThat(registry.find("other.meter").meters()).isEmpty();
			});
	}

	@Test
	void bindsOverrideForMetricNameWithDotsFromYamlWithQuotedBrackets() {
		this.contextRunner.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(yaml("""
				observability:
				  metrics:
				    cardinality:
				      overrides:
				        "[http.server.requests]":
				          max-values-per-tag: 500
				""")))
			.run((context) -> assertThat(context.getBean(CardinalityProperties.class).getOverrides())
				.containsOnlyKeys("http.server.requests"));
	}

	@Test
	void rejectsOverrideForMetricNameWithDotsWithoutBrackets() {
		// Without brackets Boot reads the dots as nesting and would bind nothing, in
		// silence; unknown properties under the prefix fail start-up instead.
		this.contextRunner.withPropertyValues(OVERRIDES + ".http.server.requests.max-values-per-tag=500")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(UnboundConfigurationPropertiesException.class));
	}

	@Test
	void allowsCustomLimiterToBeUsed() {
		this.contextRunner.withUserConfiguration(CustomLimiterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(CardinalityLimiter.class);
			assertThat(context.getBean(CardinalityLimiter.class))
				.isSameAs(context.getBean(CustomLimiterConfiguration.class).limiter);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			countDistinctValues(registry, "orders.placed", 4);
			assertThat(valuesOf(registry, "orders.placed")).containsExactlyInAnyOrder("v0", "v1", OVERFLOW);
			assertThat(overflowCount(registry, "orders.placed", "value")).isEqualTo(2);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "False", "no", "0" })
	void backsOffWhenMetricsAreDisabled(String value) {
		this.contextRunner.withPropertyValues("observability.metrics.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CardinalityLimiter.class);
			assertThat(context).doesNotHaveBean("cardinalityLimitMeterFilter");
			assertThat(context).doesNotHaveBean(CardinalityProperties.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			countDistinctValues(registry, "orders.placed", 150);
			assertThat(valuesOf(registry, "orders.placed")).hasSize(150).doesNotContain(OVERFLOW);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "off", "0" })
	void backsOffWhenObservabilityIsDisabled(String value) {
		this.contextRunner.withPropertyValues("observability.enabled=" + value).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CardinalityLimiter.class);
			assertThat(context).doesNotHaveBean("cardinalityLimitMeterFilter");
			assertThat(context).doesNotHaveBean(CardinalityProperties.class);
		});
	}

	@Test
	void backsOffWhenMicrometerIsMissing() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
					CardinalityLimitAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(CardinalityLimiter.class);
			});
	}

	private static void countDistinctValues(MeterRegistry registry, String metric, int count) {
		for (int i = 0; i < count; i++) {
			registry.counter(metric, "value", "v" + i, "region", "eu").increment();
		}
	}

	private static List<String> valuesOf(MeterRegistry registry, String metric) {
		List<String> values = new ArrayList<>();
		for (Counter counter : registry.find(metric).counters()) {
			values.add(counter.getId().getTag("value"));
		}
		return values;
	}

	private static double overflowCount(MeterRegistry registry, String metric, String tag) {
		FunctionCounter counter = registry.find(CardinalityLimiter.OVERFLOW_METER)
			.tags("metric", metric, "tag", tag)
			.functionCounter();
		assertThat(counter).as("overflow counter of %s/%s", metric, tag).isNotNull();
		return counter.count();
	}

	private static int budgetOf(AssertableApplicationContext context, String metric) {
		for (MetricCardinality cardinality : context.getBean(CardinalityLimiter.class).snapshot()) {
			if (cardinality.metric().equals(metric)) {
				return cardinality.maxValuesPerTag();
			}
		}
		throw new AssertionError("No cardinality recorded for " + metric);
	}

	private static PropertySource<?> yaml(String content) {
		try {
			ByteArrayResource resource = new ByteArrayResource(content.getBytes(StandardCharsets.UTF_8));
			return new YamlPropertySourceLoader().load("test.yml", resource).get(0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomLimiterConfiguration {

		final CardinalityLimiter limiter = CardinalityLimiter.builder().maxValuesPerTag(2).build();

		@Bean
		CardinalityLimiter customCardinalityLimiter() {
			return this.limiter;
		}

	}

}
