package dev.observability.spring.autoconfigure;

import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Binds the master switch. Every other auto-configuration of the starter is guarded by
 * {@link ConditionalOnEnabledObservability} as well, so
 * {@code observability.enabled=false} leaves no bean of ours in the context.
 */
@AutoConfiguration
@ConditionalOnEnabledObservability
@EnableConfigurationProperties(ObservabilityProperties.class)
public final class ObservabilityAutoConfiguration {

}
