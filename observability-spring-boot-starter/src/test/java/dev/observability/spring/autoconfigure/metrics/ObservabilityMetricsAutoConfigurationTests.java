package dev.observability.spring.autoconfigure.metrics;

import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ObservabilityMetricsAutoConfiguration}.
 */
final class ObservabilityMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
				ObservabilityMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void autoConfiguresApplicationTagFilter() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ObservabilityMetricsProperties.class);
			assertThat(context).hasBean("observabilityApplicationTagFilter");
			assertThat(context.getBean("observabilityApplicationTagFilter")).isInstanceOf(MeterFilter.class);
		});
	}

	@Test
	void tagsEveryMeterWithApplicationByDefault() {
		this.contextRunner.run((context) -> assertThat(applicationTag(context)).isEqualTo("application"));
	}

	@Test
	void tagsEveryMeterWithSpringApplicationName() {
		this.contextRunner.withPropertyValues("spring.application.name=movie-finder")
			.run((context) -> assertThat(applicationTag(context)).isEqualTo("movie-finder"));
	}

	@Test
	void tagsEveryMeterWithManagementMetricsTagsApplicationOverSpringApplicationName() {
		this.contextRunner
			.withPropertyValues("spring.application.name=movie-finder", "management.metrics.tags.application=catalog")
			.run((context) -> assertThat(applicationTag(context)).isEqualTo("catalog"));
	}

	@Test
	void tagsEveryMeterWithObservabilityMetricsApplicationOverSpringApplicationName() {
		this.contextRunner
			.withPropertyValues("spring.application.name=movie-finder", "observability.metrics.application=movies")
			.run((context) -> assertThat(applicationTag(context)).isEqualTo("movies"));
	}

	@Test
	void tagsEveryMeterWithObservabilityMetricsApplicationOverManagementMetricsTagsApplication() {
		this.contextRunner
			.withPropertyValues("observability.metrics.application=movies",
					"management.metrics.tags.application=catalog")
			.run((context) -> assertThat(applicationTag(context)).isEqualTo("movies"));
	}

	@Test
	void ignoresBlankObservabilityMetricsApplication() {
		this.contextRunner
			.withPropertyValues("spring.application.name=movie-finder", "observability.metrics.application= ")
			.run((context) -> assertThat(applicationTag(context)).isEqualTo("movie-finder"));
	}

	@Test
	void backsOffWhenMetricsAreDisabled() {
		this.contextRunner
			.withPropertyValues("observability.metrics.enabled=no", "spring.application.name=movie-finder")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("observabilityApplicationTagFilter");
				assertThat(context).doesNotHaveBean(ObservabilityMetricsProperties.class);
				assertThat(applicationTag(context)).isNull();
			});
	}

	@Test
	void backsOffWhenObservabilityIsDisabled() {
		this.contextRunner.withPropertyValues("observability.enabled=0")
			.run((context) -> assertThat(context).doesNotHaveBean("observabilityApplicationTagFilter"));
	}

	@Test
	void backsOffWhenMicrometerIsMissing() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservabilityMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean("observabilityApplicationTagFilter"));
	}

	private static String applicationTag(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class).counter("test.requests").getId().getTag("application");
	}

}
