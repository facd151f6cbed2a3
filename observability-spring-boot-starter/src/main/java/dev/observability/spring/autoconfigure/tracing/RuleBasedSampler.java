package dev.observability.spring.autoconfigure.tracing;

import java.util.List;
import java.util.Locale;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import dev.observability.spring.autoconfigure.tracing.ObservabilityTracingProperties.Rule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * The sampler behind {@code observability.tracing.sample-rate} and
 * {@code observability.tracing.sampling.rules}: parent-based with a trace-id ratio for
 * new traces, where an HTTP server span's path and method may pick another ratio. A rule
 * of rate 0 drops the request's span whatever the caller decided, so the request and
 * everything it calls stay out of traces (health checks and scrapes).
 * <p>
 * Rules read the {@code url.path} and {@code http.request.method} attributes that the
 * starter's filter sets before its span starts.
 */
final class RuleBasedSampler implements Sampler {

	private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

	private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");

	private final List<CompiledRule> rules;

	/**
	 * The rules' literal prefixes, in an array: {@link #mayMatch} runs for every request,
	 * and a list's iterator showed in its profile.
	 */
	private final String[] prefixes;

	private final Sampler root;

	private final String description;

	private RuleBasedSampler(List<CompiledRule> rules, double rate) {
		this.rules = rules;
		this.prefixes = rules.stream().map(CompiledRule::prefix).toArray(String[]::new);
		this.root = ratio(rate);
		this.description = "RuleBasedSampler{rate=" + rate + ", rules=" + rules + "}";
	}

	/**
	 * Creates the sampler, checking every rule.
	 * @param rate the share of new traces outside the rules
	 * @param rules the user's rules, in order
	 * @param excludedPaths path patterns never traced, matched after the user's rules
	 * @return the sampler
	 * @throws InvalidObservabilityPropertyException naming the first invalid rule
	 * property
	 */
	static RuleBasedSampler of(double rate, List<Rule> rules, List<String> excludedPaths) {
		PathPatternParser parser = new PathPatternParser();
		List<CompiledRule> compiled = new java.util.ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			compiled.add(compile(parser, "observability.tracing.sampling.rules[" + i + "]", rules.get(i)));
		}
		for (String path : excludedPaths) {
			compiled.add(new CompiledRule(parser.parse(path), null, 0.0));
		}
		return new RuleBasedSampler(List.copyOf(compiled), ObservabilityTracingProperties.checkRate(rate));
	}

	private static CompiledRule compile(PathPatternParser parser, String prefix, Rule rule) {
		String path = rule.getPath();
		if (path == null || path.isBlank()) {
			throw new InvalidObservabilityPropertyException(prefix + ".path", String.valueOf(path),
					"a path pattern such as /api/orders/** (every rule needs one)");
		}
		PathPattern pattern;
		try {
			pattern = parser.parse(path.trim());
		}
		catch (PatternParseException ex) {
			throw new InvalidObservabilityPropertyException(prefix + ".path", path,
					"a path pattern in Spring MVC's syntax (" + ex.getMessage() + ")");
		}
		Double rate = rule.getRate();
		if (rate == null || !(rate >= 0.0 && rate <= 1.0)) {
			throw new InvalidObservabilityPropertyException(prefix + ".rate", String.valueOf(rate),
					"a number from 0.0 (never traced) to 1.0 (every request)");
		}
		String method = rule.getMethod();
		if (method != null) {
			method = method.trim().toUpperCase(Locale.ROOT);
			if (method.isEmpty() || !method.chars().allMatch((c) -> c >= 'A' && c <= 'Z')) {
				throw new InvalidObservabilityPropertyException(prefix + ".method", rule.getMethod(),
						"an HTTP method such as GET or POST, or no method for any");
			}
		}
		return new CompiledRule(pattern, method, rate);
	}

	@Override
	public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
			Attributes attributes, List<LinkData> parentLinks) {
		CompiledRule rule = (spanKind == SpanKind.SERVER) ? match(attributes) : null;
		if (rule != null && rule.rate() == 0.0) {
			return SamplingResult.drop();
		}
		SpanContext parent = Span.fromContext(parentContext).getSpanContext();
		if (parent.isValid()) {
			return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
		}
		Sampler sampler = (rule != null) ? rule.sampler() : this.root;
		return sampler.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
	}

	private @Nullable CompiledRule match(Attributes attributes) {
		String path = attributes.get(URL_PATH);
		if (path == null || this.rules.isEmpty()) {
			return null;
		}
		if (!mayMatch(path)) {
			return null;
		}
		String method = attributes.get(METHOD);
		PathContainer container = PathContainer.parsePath(path);
		for (CompiledRule rule : this.rules) {
			if ((rule.method() == null || rule.method().equals(method)) && rule.pattern().matches(container)) {
				return rule;
			}
		}
		return null;
	}

	/**
	 * Whether any rule could match, from the literal start of each pattern. Parsing the
	 * path for the patterns allocates; most requests (anything but the management
	 * endpoints, with the default rules) start with none of the prefixes and skip it. A
	 * path with an escape or a path parameter is always parsed, since it is matched
	 * decoded and without its parameters.
	 */
	private boolean mayMatch(String path) {
		if (path.indexOf('%') >= 0 || path.indexOf(';') >= 0) {
			return true;
		}
		for (String prefix : this.prefixes) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** The ends are exact: a ratio of 1.0 would still drop the largest trace id. */
	private static Sampler ratio(double rate) {
		if (rate >= 1.0) {
			return Sampler.alwaysOn();
		}
		return (rate <= 0.0) ? Sampler.alwaysOff() : Sampler.traceIdRatioBased(rate);
	}

	@Override
	public String getDescription() {
		return this.description;
	}

	@Override
	public String toString() {
		return this.description;
	}

	private record CompiledRule(PathPattern pattern, @Nullable String method, double rate, Sampler sampler,
			String prefix) {

		CompiledRule(PathPattern pattern, @Nullable String method, double rate) {
			this(pattern, method, rate, ratio(rate), literalPrefix(pattern.getPatternString()));
		}

		/**
		 * The pattern's literal segments before its first wildcard or variable, without
		 * the separator that follows them: every match starts with it ({@code /**}
		 * matches no segment at all, so {@code /actuator/**} matches {@code /actuator}).
		 */
		private static String literalPrefix(String pattern) {
			for (int i = 0; i < pattern.length(); i++) {
				char c = pattern.charAt(i);
				if (c == '*' || c == '?' || c == '{') {
					return pattern.substring(0, Math.max(0, pattern.lastIndexOf('/', i)));
				}
			}
			return pattern;
		}

		@Override
		public String toString() {
			return ((this.method != null) ? this.method + " " : "") + this.pattern.getPatternString() + "=" + this.rate;
		}

	}

}
