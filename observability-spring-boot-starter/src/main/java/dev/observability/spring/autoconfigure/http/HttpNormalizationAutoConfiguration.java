package dev.observability.spring.autoconfigure.http;

import java.util.Objects;

import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The path normalizer shared by HTTP server and client metrics, from
 * {@code observability.http.normalization.*}.
 */
@AutoConfiguration
@ConditionalOnEnabledObservability({ "observability.metrics.enabled", "observability.http.enabled" })
@EnableConfigurationProperties(ObservabilityHttpProperties.class)
public final class HttpNormalizationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PathNormalizer pathNormalizer(ObservabilityHttpProperties properties) {
		ObservabilityHttpProperties.Normalization normalization = properties.getNormalization();
		PathNormalizer.Builder builder = PathNormalizer.builder().maxSegments(normalization.getMaxSegments());
		for (ObservabilityHttpProperties.Rule rule : normalization.getRules()) {
			builder.rule(Objects.requireNonNull(rule.getPattern()), Objects.requireNonNull(rule.getReplacement()));
		}
		return builder.build();
	}

}
