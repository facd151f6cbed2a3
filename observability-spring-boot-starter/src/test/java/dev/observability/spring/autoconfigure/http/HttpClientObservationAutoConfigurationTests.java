package dev.observability.spring.autoconfigure.http;

import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpClientObservationAutoConfiguration}.
 */
final class HttpClientObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
				HttpNormalizationAutoConfiguration.class, HttpClientObservationAutoConfiguration.class));

	@Test
	void autoConfiguresNormalizingConventionInAnyApplication() {
		this.contextRunner.run((context) -> assertThat(context).getBean(ClientRequestObservationConvention.class)
			.isInstanceOf(NormalizingClientRequestObservationConvention.class)
			.extracting(ClientRequestObservationConvention::getName)
			.isEqualTo("http.client.requests"));
	}

	@Test
	void followsBootsClientMetricName() {
		this.contextRunner.withPropertyValues("management.observations.http.client.requests.name=outbound")
			.run((context) -> assertThat(context.getBean(ClientRequestObservationConvention.class).getName())
				.isEqualTo("outbound"));
	}

	@Test
	void backsOffWhenHttpOrMetricsOrEverythingIsDisabled() {
		for (String property : new String[] { "observability.http.enabled=false", "observability.metrics.enabled=false",
				"observability.enabled=false" }) {
			this.contextRunner.withPropertyValues(property)
				.run((context) -> assertThat(context).doesNotHaveBean(ClientRequestObservationConvention.class));
		}
	}

	@Test
	void allowsCustomConventionToBeUsed() {
		this.contextRunner
			.withBean("custom", ClientRequestObservationConvention.class,
					() -> new DefaultClientRequestObservationConvention("custom"))
			.run((context) -> assertThat(context).getBean(ClientRequestObservationConvention.class)
				.isNotInstanceOf(NormalizingClientRequestObservationConvention.class));
	}

	@Test
	void backsOffWithoutSpringWebClientObservation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ClientRequestObservationConvention.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ClientRequestObservationConvention.class));
	}

}
