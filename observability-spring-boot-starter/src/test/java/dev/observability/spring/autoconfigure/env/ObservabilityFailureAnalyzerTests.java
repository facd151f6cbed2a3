package dev.observability.spring.autoconfigure.env;

import java.util.Map;

import dev.observability.spring.autoconfigure.ObservabilityAutoConfiguration;
import dev.observability.spring.autoconfigure.cardinality.CardinalityLimitAutoConfiguration;
import dev.observability.spring.autoconfigure.endpoint.MetricsEndpointAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpNormalizationAutoConfiguration;
import dev.observability.spring.autoconfigure.http.HttpServerMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.metrics.ObservabilityMetricsAutoConfiguration;
import dev.observability.spring.autoconfigure.sample.SampleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * Tests for {@link ObservabilityFailureAnalyzer}: every invalid value fails start-up with
 * a message naming the property, the value and what is allowed.
 */
@ExtendWith(OutputCaptureExtension.class)
final class ObservabilityFailureAnalyzerTests {

	private static final String BOOLEAN = "true or false (yes/no, on/off and 1/0 are accepted too)";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservabilityAutoConfiguration.class, ObservabilityMetricsAutoConfiguration.class,
					CardinalityLimitAutoConfiguration.class, HttpNormalizationAutoConfiguration.class,
					HttpServerMetricsAutoConfiguration.class, MetricsEndpointAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					PrometheusMetricsExportAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

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
			.startsWith(
					"Invalid value 'not-an-ip' for property " + "'observability.metrics.endpoint.allowed-addresses[1]'")
			.contains("Allowed: an IPv4 or IPv6 address or CIDR range");
	}

	@Test
	void explainsBlankTokenWithoutShowingIt() {
		FailureAnalysis analysis = analyze(this.contextRunner.withInitializer((context) -> context.getEnvironment()
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
	void explainsNormalizationPatternThatIsNotARegularExpression() {
		FailureAnalysis analysis = analyze("observability.http.normalization.rules[0].pattern=([a-z",
				"observability.http.normalization.rules[0].replacement={name}");
		assertThat(analysis.getDescription())
			.startsWith("Invalid value '([a-z' for property 'observability.http.normalization.rules[0].pattern'")
			.contains("Allowed: a valid Java regular expression (Unclosed character class at index 4).");
		assertThat(analysis.getAction())
			.startsWith("Set 'observability.http.normalization.rules[0].pattern' to a valid Java regular expression")
			.contains(", or remove that entry.")
			.doesNotContain("default");
	}

	@Test
	void explainsNormalizationPatternOfTheRuleThatIsWrongByItsIndex() {
		assertThat(analyze("observability.http.normalization.rules[0].pattern=[a-z]{2}-[A-Z]{2}",
				"observability.http.normalization.rules[0].replacement={locale}",
				"observability.http.normalization.rules[1].pattern=v(\\d+",
				"observability.http.normalization.rules[1].replacement={version}")
			.getDescription())
			.startsWith("Invalid value 'v(\\d+' for property 'observability.http.normalization.rules[1].pattern'")
			.contains("Allowed: a valid Java regular expression (Unclosed group at index 5).");
	}

	@Test
	void explainsNormalizationRuleWithoutReplacement() {
		assertThat(analyze("observability.http.normalization.rules[0].pattern=[a-z]{2}-[A-Z]{2}").getDescription())
			.startsWith("Invalid value '(not set)' for property "
					+ "'observability.http.normalization.rules[0].replacement'")
			.contains("Allowed: non-empty text without '/', such as {locale}.");
	}

	@Test
	void explainsNormalizationRuleWithoutPattern() {
		assertThat(analyze("observability.http.normalization.rules[0].replacement={locale}").getDescription())
			.startsWith("Invalid value '(not set)' for property 'observability.http.normalization.rules[0].pattern'")
			.contains("Allowed: a Java regular expression matching one path segment.");
	}

	@Test
	void explainsNormalizationReplacementWithSlash() {
		assertThat(analyze("observability.http.normalization.rules[0].pattern=[a-z]{2}-[A-Z]{2}",
				"observability.http.normalization.rules[0].replacement={lang}/{country}")
			.getDescription())
			.startsWith("Invalid value '{lang}/{country}' for property "
					+ "'observability.http.normalization.rules[0].replacement'")
			.contains("Allowed: non-empty text without '/', such as {locale}.");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 65, -1 })
	void explainsNormalizationMaxSegmentsOutOfRange(int maxSegments) {
		assertThat(analyze("observability.http.normalization.max-segments=" + maxSegments).getDescription())
			.startsWith("Invalid value '" + maxSegments + "' for property "
					+ "'observability.http.normalization.max-segments' (from ")
			.contains("Allowed: a whole number from 1 to 64.");
	}

	@Test
	void explainsNormalizationMaxSegmentsThatIsNotANumber() {
		assertThat(analyze("observability.http.normalization.max-segments=five").getDescription())
			.startsWith("Invalid value 'five' for property 'observability.http.normalization.max-segments'")
			.contains("Allowed: a number.");
	}

	@Test
	void explainsMaxValuesPerTagOfZero() {
		assertThat(analyze("observability.metrics.cardinality.max-values-per-tag=0").getDescription())
			.startsWith("Invalid value '0' for property 'observability.metrics.cardinality.max-values-per-tag' (from ")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@Test
	void explainsNegativeMaxTagsPerMetric() {
		assertThat(analyze("observability.metrics.cardinality.max-tags-per-metric=-1").getDescription())
			.startsWith("Invalid value '-1' for property "
					+ "'observability.metrics.cardinality.max-tags-per-metric' (from ")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@Test
	void explainsOverrideOfZeroValuesForMetricWithDots() {
		assertThat(analyze("observability.metrics.cardinality.overrides[http.server.requests].max-values-per-tag=0")
			.getDescription())
			.startsWith("Invalid value '0' for property "
					+ "'observability.metrics.cardinality.overrides[http.server.requests].max-values-per-tag'")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@Test
	void explainsOverrideOfMetricWithDotsWrittenWithoutBrackets() {
		FailureAnalysis analysis = analyze(
				"observability.metrics.cardinality.overrides.http.server.requests.max-values-per-tag=500");
		assertThat(analysis.getDescription())
			.startsWith("Unknown property under 'observability.metrics.cardinality':\n\t- "
					+ "'observability.metrics.cardinality.overrides.http.server.requests.max-values-per-tag' (from ");
		assertThat(analysis.getAction())
			.contains("observability.metrics.cardinality.overrides[http.server.requests].max-values-per-tag (in YAML: "
					+ "\"[http.server.requests]\")");
	}

	@Test
	void explainsMisspelledCardinalityProperty() {
		assertThat(analyze("observability.metrics.cardinality.max-value-per-tag=5").getDescription())
			.contains("'observability.metrics.cardinality.max-value-per-tag'");
	}

	@Test
	void explainsOverrideOfZeroTags() {
		assertThat(analyze("observability.metrics.cardinality.overrides[orders.placed].max-tags-per-metric=0")
			.getDescription())
			.startsWith("Invalid value '0' for property "
					+ "'observability.metrics.cardinality.overrides[orders.placed].max-tags-per-metric'")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@Test
	void explainsCardinalityLimitInRunningApplication(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatException().isThrownBy(
				() -> application.run("--server.port=0", "--observability.metrics.cardinality.max-values-per-tag=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '0' for property 'observability.metrics.cardinality.max-values-per-tag' "
					+ "(from \"observability.metrics.cardinality.max-values-per-tag\" from property source "
					+ "\"commandLineArgs\").")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1.5", "-0.1", "NaN" })
	void explainsSampleRateOutsideZeroToOne(String rate) {
		assertThat(analyze("observability.metrics.sample-rate=" + rate).getDescription())
			.startsWith("Invalid value '" + rate + "' for property 'observability.metrics.sample-rate' (from ")
			.contains("Allowed: a number from 0.0 to 1.0 (1.0 records every request).");
	}

	@Test
	void explainsSampleRateThatIsNotANumber() {
		assertThat(analyze("observability.metrics.sample-rate=ten-percent").getDescription())
			.startsWith("Invalid value 'ten-percent' for property 'observability.metrics.sample-rate'")
			.contains("Allowed: a number.");
	}

	@Test
	void explainsDetailedSwitchThatIsNotABoolean() {
		assertThat(analyze("observability.metrics.detailed.enabled=sometimes").getDescription())
			.startsWith("Invalid value 'sometimes' for property 'observability.metrics.detailed.enabled'")
			.contains("Allowed: " + BOOLEAN);
	}

	@ParameterizedTest
	@ValueSource(strings = { "max-users", "max-orgs" })
	void explainsDetailedBudgetOfZero(String budget) {
		assertThat(analyze("observability.metrics.detailed." + budget + "=0").getDescription())
			.startsWith("Invalid value '0' for property 'observability.metrics.detailed." + budget + "' (from ")
			.contains("Allowed: a whole number of 1 or more.");
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(new ObservabilityFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void isRegisteredWithSpringBoot(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatException()
			.isThrownBy(() -> application.run("--server.port=0", "--observability.metrics.endpoint.path=metrics",
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

	private FailureAnalysis analyze(String... properties) {
		return analyze(this.contextRunner.withPropertyValues(properties));
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
