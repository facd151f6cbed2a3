package dev.observability.spring.autoconfigure.tracing;

import java.util.List;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import dev.observability.spring.autoconfigure.tracing.ObservabilityTracingProperties.Rule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RuleBasedSampler}.
 */
class RuleBasedSamplerTests {

	/** The smallest trace id: a ratio sampler keeps it at any rate above 0. */
	private static final String LOW_TRACE_ID = "00000000000000000000000000000001";

	/**
	 * The largest random part of a trace id: a ratio sampler drops it at any rate below
	 * 1.
	 */
	private static final String HIGH_TRACE_ID = "00000000000000007ffffffffffffffe";

	private static final List<String> MANAGEMENT = List.of("/actuator/**", "/metrics");

	@Test
	void newTracesOutsideTheRulesUseTheRate() {
		RuleBasedSampler sampler = RuleBasedSampler.of(0.5, List.of(), MANAGEMENT);
		assertThat(decide(sampler, Context.root(), LOW_TRACE_ID, "/api/a", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/api/a", "GET")).isEqualTo(SamplingDecision.DROP);
	}

	@Test
	void firstMatchingRuleWins() {
		RuleBasedSampler sampler = RuleBasedSampler.of(0.0, List.of(rule("/api/orders/**", "POST", 1.0),
				rule("/api/orders/**", null, 0.0), rule("/api/**", null, 1.0)), MANAGEMENT);
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/api/orders/7", "POST"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, Context.root(), LOW_TRACE_ID, "/api/orders/7", "GET"))
			.isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/api/users/7", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, Context.root(), LOW_TRACE_ID, "/other", "GET")).isEqualTo(SamplingDecision.DROP);
	}

	@Test
	void rulesMatchTemplatesAndMethodsCaseInsensitively() {
		RuleBasedSampler sampler = RuleBasedSampler.of(0.0, List.of(rule("/api/users/{id}", "get", 1.0)), List.of());
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/api/users/42", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/api/users/42/orders", "GET"))
			.isEqualTo(SamplingDecision.DROP);
	}

	@Test
	void callersDecisionIsFollowed() {
		RuleBasedSampler sampler = RuleBasedSampler.of(0.0, List.of(rule("/api/**", null, 1.0)), MANAGEMENT);
		assertThat(decide(sampler, parent(true), HIGH_TRACE_ID, "/other", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, parent(false), LOW_TRACE_ID, "/api/a", "GET")).isEqualTo(SamplingDecision.DROP);
	}

	@Test
	void rateZeroAndManagementEndpointsDropEvenUnderASampledCaller() {
		RuleBasedSampler sampler = RuleBasedSampler.of(1.0, List.of(rule("/api/health", null, 0.0)), MANAGEMENT);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api/health", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/actuator/health/liveness", "GET"))
			.isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/actuator", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/metrics", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/metricsx", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
	}

	@Test
	void escapedPathsAndPathParametersAreMatchedAsSpringMvcMatchesThem() {
		RuleBasedSampler sampler = RuleBasedSampler.of(1.0, List.of(rule("/api/orders/**", null, 0.0),
				rule("/api/items/{id}", null, 0.0), rule("/api/ord*", null, 0.0)), MANAGEMENT);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/%61ctuator/health", "GET"))
			.isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api;v=1/orders/7", "GET"))
			.isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api/orders", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api/items/9", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api/ordinal", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/api/items", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/apis/orders/7", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
	}

	@Test
	void aPatternStartingWithAWildcardMatchesAnyPath() {
		RuleBasedSampler sampler = RuleBasedSampler.of(1.0, List.of(rule("/**/private", null, 0.0)), List.of());
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/a/b/private", "GET")).isEqualTo(SamplingDecision.DROP);
		assertThat(decide(sampler, parent(true), LOW_TRACE_ID, "/a/b/public", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
	}

	@Test
	void aRuleCanTraceAManagementEndpoint() {
		RuleBasedSampler sampler = RuleBasedSampler.of(0.0, List.of(rule("/actuator/health", null, 1.0)), MANAGEMENT);
		assertThat(decide(sampler, Context.root(), HIGH_TRACE_ID, "/actuator/health", "GET"))
			.isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
	}

	@Test
	void spansOtherThanServerSpansIgnoreTheRules() {
		RuleBasedSampler sampler = RuleBasedSampler.of(1.0, List.of(), MANAGEMENT);
		Attributes attributes = Attributes.of(AttributeKey.stringKey("url.path"), "/actuator/health");
		assertThat(sampler.shouldSample(Context.root(), LOW_TRACE_ID, "work", SpanKind.INTERNAL, attributes, List.of())
			.getDecision()).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
	}

	@Test
	void invalidPathNamesTheRule() {
		assertThatExceptionOfType(InvalidObservabilityPropertyException.class)
			.isThrownBy(() -> RuleBasedSampler.of(0.1, List.of(rule("/ok", null, 1.0), rule("/api/{id", null, 1.0)),
					MANAGEMENT))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("observability.tracing.sampling.rules[1].path"));
	}

	@Test
	void missingPathNamesTheRule() {
		assertThatExceptionOfType(InvalidObservabilityPropertyException.class)
			.isThrownBy(() -> RuleBasedSampler.of(0.1, List.of(rule(null, null, 1.0)), MANAGEMENT))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("observability.tracing.sampling.rules[0].path"));
	}

	@Test
	void rateOutOfRangeOrMissingNamesTheRule() {
		assertThatExceptionOfType(InvalidObservabilityPropertyException.class)
			.isThrownBy(() -> RuleBasedSampler.of(0.1, List.of(rule("/a", null, 1.5)), MANAGEMENT))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("observability.tracing.sampling.rules[0].rate"));
		assertThatExceptionOfType(InvalidObservabilityPropertyException.class)
			.isThrownBy(() -> RuleBasedSampler.of(0.1, List.of(rule("/a", null, null)), MANAGEMENT))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("observability.tracing.sampling.rules[0].rate"));
	}

	@Test
	void invalidMethodNamesTheRule() {
		assertThatExceptionOfType(InvalidObservabilityPropertyException.class)
			.isThrownBy(() -> RuleBasedSampler.of(0.1, List.of(rule("/a", "GET,POST", 1.0)), MANAGEMENT))
			.satisfies(
					(ex) -> assertThat(ex.getProperty()).isEqualTo("observability.tracing.sampling.rules[0].method"));
	}

	@Test
	void managementPathsFollowTheContextPathAndBasePaths() {
		MockEnvironment environment = new MockEnvironment();
		assertThat(ObservabilityTracingAutoConfiguration.SamplerConfiguration.managementPaths(environment))
			.containsExactly("/actuator/**", "/metrics");
		environment.withProperty("server.servlet.context-path", "/shop/")
			.withProperty("management.endpoints.web.base-path", "manage")
			.withProperty("observability.metrics.endpoint.path", "/prometheus");
		assertThat(ObservabilityTracingAutoConfiguration.SamplerConfiguration.managementPaths(environment))
			.containsExactly("/shop/manage/**", "/shop/prometheus");
		environment.setProperty("management.endpoints.web.base-path", "/");
		assertThat(ObservabilityTracingAutoConfiguration.SamplerConfiguration.managementPaths(environment))
			.containsExactly("/shop/prometheus");
	}

	@Test
	void describesItsRules() {
		assertThat(RuleBasedSampler.of(0.1, List.of(rule("/a/**", "GET", 1.0)), List.of("/metrics")).getDescription())
			.contains("rate=0.1")
			.contains("GET /a/**=1.0")
			.contains("/metrics=0.0");
	}

	private static SamplingDecision decide(RuleBasedSampler sampler, Context parent, String traceId, String path,
			String method) {
		Attributes attributes = Attributes.of(AttributeKey.stringKey("url.path"), path,
				AttributeKey.stringKey("http.request.method"), method);
		return sampler.shouldSample(parent, traceId, method, SpanKind.SERVER, attributes, List.of()).getDecision();
	}

	private static Context parent(boolean sampled) {
		SpanContext caller = SpanContext.createFromRemoteParent(LOW_TRACE_ID, "00f067aa0ba902b7",
				sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
		return Context.root().with(Span.wrap(caller));
	}

	private static Rule rule(String path, String method, Double rate) {
		Rule rule = new Rule();
		rule.setPath(path);
		rule.setMethod(method);
		rule.setRate(rate);
		return rule;
	}

}
