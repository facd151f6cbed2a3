package dev.observability.spring.autoconfigure.env;

import java.util.Map;

import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.endpoint.MetricsEndpointAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpServerMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.sample.SampleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link ObservabilityFailureAnalyzer}: every invalid value fails start-up with a message
 * naming the property, the value and what is allowed.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ObservabilityFailureAnalyzerTests {

	private static final String BOOLEAN = "true or false (yes/no, on/off and 1/0 are accepted too)";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservabilityAutoConfiguration.class,
				ObservabilityMetricsAutoConfiguration.class, HttpServerMetricsAutoConfiguration.class,
				MetricsEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class));

	@Test
	void explainsMasterSwitchThatIsNotABoolean() {
		FailureAnalysis analysis = analyze("observability.enabled=maybe");
		assertThat(analysis.getDescription()).startsWith("Invalid value 'maybe' for property 'observability.enabled'")
			.contains("Allowed: " + BOOLEAN);
		assertThat(analysis.getAction()).contains("'observability.enabled'").contains(BOOLEAN);
	}

	@Test
	void explainsMetricsSwitchThatIsNotABoolean() {
		assertThat(analyze("observability.metrics.enabled=maybe").getDescription())
			.startsWith("Invalid value 'maybe' for property 'observability.metrics.enabled'")
			.contains("Allowed: " + BOOLEAN);
	}

	@Test
	void explainsHttpSwitchThatIsNotABoolean() {
		assertThat(analyze("observability.http.enabled=perhaps").getDescription())
			.startsWith("Invalid value 'perhaps' for property 'observability.http.enabled'")
			.contains("Allowed: " + BOOLEAN);
	}

	@Test
	void explainsPathWithoutLeadingSlash() {
		assertPathRejected("metrics");
	}

	@Test
	void explainsPathWithTrailingSlash() {
		assertPathRejected("/metrics/");
	}

	@Test
	void explainsPathWithSpace() {
		assertPathRejected("/me trics");
	}

	@Test
	void explainsPathWithWildcard() {
		assertPathRejected("/metrics/**");
	}

	@Test
	void explainsAddressRangeWithPrefixTooLong() {
		assertThat(analyze("observability.metrics.endpoint.allowed-addresses=10.0.0.0/33").getDescription())
			.startsWith("Invalid value '10.0.0.0/33' for property "
					+ "'observability.metrics.endpoint.allowed-addresses[0]'")
			.contains("Allowed: an IPv4 or IPv6 address or CIDR range such as 10.0.0.0/8, 127.0.0.1 or ::1/128");
	}

	@Test
	void explainsAddressThatIsNotAnAddressByItsIndex() {
		assertThat(analyze("observability.metrics.endpoint.allowed-addresses=127.0.0.1,not-an-ip").getDescription())
			.startsWith("Invalid value 'not-an-ip' for property "
					+ "'observability.metrics.endpoint.allowed-addresses[1]'")
			.contains("Allowed: an IPv4 or IPv6 address or CIDR range");
	}

	@Test
	void explainsBlankTokenWithoutShowingIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withInitializer((context) -> context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("test", Map.of("observability.metrics.endpoint.token", "  ")))));
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '******' for property 'observability.metrics.endpoint.token'")
			.contains("Allowed: a non-blank token without spaces, or no value to disable the token check");
	}

	@Test
	void explainsTokenWithSpaceWithoutShowingIt() {
		FailureAnalysis analysis = analyze("observability.metrics.endpoint.token=s3cr3t value");
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '******' for property 'observability.metrics.endpoint.token'")
			.doesNotContain("s3cr3t");
		assertThat(analysis.getAction()).doesNotContain("s3cr3t");
	}

	@Test
	void explainsBasicAuthUsernameWithoutPassword() {
		assertThat(analyze("observability.metrics.endpoint.basic-auth.username=prometheus").getDescription())
			.contains("for property 'observability.metrics.endpoint.basic-auth.password'")
			.contains("Allowed: a value whenever the other basic-auth credential is set");
	}

	@Test
	void saysPasswordIsNotSetWhenOnlyUsernameIsSet() {
		assertThat(analyze("observability.metrics.endpoint.basic-auth.username=prometheus").getDescription())
			.startsWith("Invalid value '(not set)' for property 'observability.metrics.endpoint.basic-auth.password'");
	}

	@Test
	void explainsBasicAuthPasswordWithoutUsernameWithoutShowingThePassword() {
		FailureAnalysis analysis = analyze("observability.metrics.endpoint.basic-auth.password=hunter2");
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '(not set)' for property 'observability.metrics.endpoint.basic-auth.username'")
			.doesNotContain("hunter2");
	}

	@Test
	void explainsLatencyBucketsThatAreNotIncreasing() {
		assertThat(analyze("observability.http.latency-buckets=100ms,10ms").getDescription())
			.startsWith("Invalid value '100ms,10ms' for property 'observability.http.latency-buckets' (from ")
			.contains("Allowed: a non-empty list of positive, strictly increasing durations such as 10ms,100ms,1s");
	}

	@Test
	void explainsLatencyBucketThatIsNotADuration() {
		assertThat(analyze("observability.http.latency-buckets=10ms,fast").getDescription())
			.startsWith("Invalid value '10ms,fast' for property 'observability.http.latency-buckets'")
			.contains("Allowed: a comma-separated list of a duration such as 250ms, 2s or PT0.5S");
	}

	@Test
	void explainsSizeBucketOfZero() {
		assertThat(analyze("observability.http.size-buckets=0B").getDescription())
			.startsWith("Invalid value '0B' for property 'observability.http.size-buckets' (from ")
			.contains("Allowed: a non-empty list of positive, strictly increasing sizes such as 1KB,100KB,1MB");
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(new ObservabilityFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void isRegisteredWithSpringBoot(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatException().isThrownBy(() -> application.run("--server.port=0",
				"--observability.metrics.endpoint.path=metrics",
				"--observability.metrics.endpoint.token=s3cr3t value"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.containsPattern("Description:\\s+Invalid value '(metrics|\\*{6})' for property "
					+ "'observability\\.metrics\\.endpoint\\.(path|token)' \\(from [^)]*\\)\\.\\s+Allowed: ")
			.contains("See docs/configuration.md for every observability property.")
			.doesNotContain("s3cr3t");
	}

	@Test
	void namesTheOriginOfTheBadValue(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatException().isThrownBy(() -> application.run("--server.port=0", "--observability.enabled=maybe"));
		assertThat(output).contains("Invalid value 'maybe' for property 'observability.enabled' "
				+ "(from \"observability.enabled\" from property source \"commandLineArgs\").");
	}

	private void assertPathRejected(String path) {
		assertThat(analyze("observability.metrics.endpoint.path=" + path).getDescription())
			.startsWith("Invalid value '" + path + "' for property 'observability.metrics.endpoint.path'")
			.contains("Allowed: a path such as /metrics: starting with '/', not ending with '/', without wildcards, "
					+ "spaces, '?' or '#'");
	}

	private FailureAnalysis analyze(String property) {
		return analyze(this.contextRunner.withPropertyValues(property));
	}

	private static FailureAnalysis analyze(WebApplicationContextRunner runner) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		runner.run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new ObservabilityFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("failure analysis").isNotNull();
		return analysis[0];
	}

}
