package dev.observability.spring.autoconfigure.http;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.client.observation.ClientRequestObservationConvention;

/**
 * HTTP client metrics ({@code RestClient}, {@code RestTemplate}) keep Spring Boot's
 * observation; this only gives requests made without a URI template their normalized path
 * as {@code uri} instead of {@code none}. Boot's client observation auto-configurations
 * pick the convention bean up.
 */
@AutoConfiguration(after = HttpNormalizationAutoConfiguration.class,
		afterName = "dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration",
		beforeName = { "org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestTemplateObservationAutoConfiguration" })
@ConditionalOnClass(ClientRequestObservationConvention.class)
@ConditionalOnEnabledObservability({ "observability.metrics.enabled", "observability.http.enabled" })
public final class HttpClientObservationAutoConfiguration {

	/**
	 * Boot's property for the client metric's name, read so that the budget key matches
	 * the meter.
	 */
	private static final String NAME_PROPERTY = "management.observations.http.client.requests.name";

	@Bean
	@ConditionalOnMissingBean(ClientRequestObservationConvention.class)
	ClientRequestObservationConvention normalizingClientRequestObservationConvention(Environment environment,
			PathNormalizer pathNormalizer, ObjectProvider<CardinalityLimiter> cardinalityLimiter) {
		return new NormalizingClientRequestObservationConvention(
				environment.getProperty(NAME_PROPERTY, "http.client.requests"), pathNormalizer,
				cardinalityLimiter.getIfAvailable());
	}

}
