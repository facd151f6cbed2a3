package dev.observability.spring.autoconfigure.metrics;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Metrics common to every meter: the {@code application} tag that dashboards filter on.
 * JVM, process and system metrics come from Spring Boot's own binders, which are on by
 * default.
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnEnabledObservability("observability.metrics.enabled")
@EnableConfigurationProperties(ObservabilityMetricsProperties.class)
public final class ObservabilityMetricsAutoConfiguration {

	/** Boot's own way to set the tag; when present we use its value so both agree. */
	private static final String BOOT_APPLICATION_TAG = "management.metrics.tags.application";

	/**
	 * First of all filters: a common tag never replaces one already present, and Boot's
	 * own {@code management.metrics.tags.*} filter runs at order 0.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static MeterFilter observabilityApplicationTagFilter(ObservabilityMetricsProperties properties,
			Environment environment) {
		return MeterFilter.commonTags(Tags.of("application", applicationTag(properties, environment)));
	}

	static String applicationTag(ObservabilityMetricsProperties properties, Environment environment) {
		if (StringUtils.hasText(properties.getApplication())) {
			return properties.getApplication();
		}
		String boot = environment.getProperty(BOOT_APPLICATION_TAG);
		if (StringUtils.hasText(boot)) {
			return boot;
		}
		return environment.getProperty("spring.application.name", "application");
	}

}
