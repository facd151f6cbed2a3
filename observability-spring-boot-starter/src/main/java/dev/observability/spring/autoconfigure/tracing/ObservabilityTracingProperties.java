package dev.observability.spring.autoconfigure.tracing;

import java.util.ArrayList;
import java.util.List;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import dev.observability.spring.autoconfigure.env.PropertyChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tracing switches. They drive Spring Boot's OpenTelemetry tracing (one SDK, the
 * Micrometer Tracing bridge); Boot's own {@code management.tracing.*} and
 * {@code management.opentelemetry.*} properties still win when set explicitly.
 */
@ConfigurationProperties("observability.tracing")
public final class ObservabilityTracingProperties {

	/**
	 * Whether to record and export traces. Defaults to on exactly when the exporter has
	 * an endpoint (observability.tracing.otlp.endpoint, OTEL_EXPORTER_OTLP_ENDPOINT or
	 * observability.tracing.zipkin.endpoint), so that a service without a trace backend
	 * runs no exporter thread. Environment variable: TRACING_ENABLED.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Share of traces recorded, from 0.0 to 1.0: a trace-id ratio for new traces, and the
	 * caller's decision for requests that arrive with one. Environment variable:
	 * TRACING_SAMPLE_RATE.
	 */
	private double sampleRate = 0.1;

	/**
	 * Where spans go: otlp (OTLP over HTTP: Tempo, an OpenTelemetry Collector...),
	 * zipkin, logging (to the application log, for development) or none.
	 */
	private Exporter exporter = Exporter.OTLP;

	/**
	 * Service name reported with every span. Defaults to spring.application.name.
	 * Environment variable: OTEL_SERVICE_NAME.
	 */
	private @Nullable String serviceName;

	/**
	 * OTLP exporter settings.
	 */
	private final Otlp otlp = new Otlp();

	/**
	 * Zipkin exporter settings.
	 */
	private final Zipkin zipkin = new Zipkin();

	/**
	 * Sampling rules for HTTP server requests.
	 */
	private final Sampling sampling = new Sampling();

	/**
	 * Returns the explicit switch.
	 * @return the switch, or {@code null} to derive it from the endpoints
	 */
	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	/**
	 * Sets whether tracing is on.
	 * @param enabled the switch, or {@code null} to derive it from the endpoints
	 */
	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * Returns the sample rate.
	 * @return from 0.0 to 1.0
	 */
	public double getSampleRate() {
		return this.sampleRate;
	}

	/**
	 * Sets the sample rate.
	 * @param sampleRate from 0.0 to 1.0
	 */
	public void setSampleRate(double sampleRate) {
		this.sampleRate = checkRate(sampleRate);
	}

	static double checkRate(double rate) {
		if (!(rate >= 0.0 && rate <= 1.0)) {
			throw new InvalidObservabilityPropertyException("observability.tracing.sample-rate", Double.toString(rate),
					"a number from 0.0 to 1.0 (0.01 traces one request in a hundred)");
		}
		return rate;
	}

	/**
	 * Returns the exporter.
	 * @return the exporter
	 */
	public Exporter getExporter() {
		return this.exporter;
	}

	/**
	 * Sets the exporter.
	 * @param exporter the exporter
	 */
	public void setExporter(Exporter exporter) {
		this.exporter = exporter;
	}

	/**
	 * Returns the configured service name.
	 * @return the name, or {@code null} for spring.application.name
	 */
	public @Nullable String getServiceName() {
		return this.serviceName;
	}

	/**
	 * Sets the service name.
	 * @param serviceName the name, or {@code null} for spring.application.name
	 */
	public void setServiceName(@Nullable String serviceName) {
		this.serviceName = serviceName;
	}

	/**
	 * Returns the OTLP settings.
	 * @return the settings
	 */
	public Otlp getOtlp() {
		return this.otlp;
	}

	/**
	 * Returns the Zipkin settings.
	 * @return the settings
	 */
	public Zipkin getZipkin() {
		return this.zipkin;
	}

	/**
	 * Returns the sampling rules.
	 * @return the rules
	 */
	public Sampling getSampling() {
		return this.sampling;
	}

	static @Nullable String checkUrl(String property, @Nullable String url) {
		return PropertyChecks.httpUrl(property, url);
	}

	/**
	 * Where spans are exported.
	 */
	public enum Exporter {

		/** OTLP over HTTP (protobuf). */
		OTLP,

		/** Zipkin's JSON v2 API. */
		ZIPKIN,

		/** The application log, one line per span. */
		LOGGING,

		/**
		 * Nowhere: spans are recorded (trace ids in logs, exemplars) but not exported.
		 */
		NONE

	}

	/**
	 * OTLP exporter settings.
	 */
	public static final class Otlp {

		/**
		 * Base URL of the OTLP/HTTP receiver, such as http://tempo:4318; "/v1/traces" is
		 * appended unless the URL already ends with it. Environment variable:
		 * OTEL_EXPORTER_OTLP_ENDPOINT.
		 */
		private @Nullable String endpoint;

		/**
		 * Returns the endpoint.
		 * @return the base URL, or {@code null}
		 */
		public @Nullable String getEndpoint() {
			return this.endpoint;
		}

		/**
		 * Sets the endpoint.
		 * @param endpoint the base URL
		 */
		public void setEndpoint(@Nullable String endpoint) {
			this.endpoint = checkUrl("observability.tracing.otlp.endpoint", endpoint);
		}

	}

	/**
	 * Zipkin exporter settings.
	 */
	public static final class Zipkin {

		/**
		 * URL of Zipkin's span API, such as http://zipkin:9411/api/v2/spans.
		 */
		private @Nullable String endpoint;

		/**
		 * Returns the endpoint.
		 * @return the URL, or {@code null}
		 */
		public @Nullable String getEndpoint() {
			return this.endpoint;
		}

		/**
		 * Sets the endpoint.
		 * @param endpoint the URL
		 */
		public void setEndpoint(@Nullable String endpoint) {
			this.endpoint = checkUrl("observability.tracing.zipkin.endpoint", endpoint);
		}

	}

	/**
	 * Sampling rules: some requests get their own share of traces.
	 */
	public static final class Sampling {

		/**
		 * Rules matched against each HTTP server request in order; the first that matches
		 * sets the share of new traces for that request, and a rule with rate 0.0 means
		 * never traced, even when the caller's trace is sampled. Requests that match no
		 * rule use observability.tracing.sample-rate.
		 */
		private List<Rule> rules = new ArrayList<>();

		/**
		 * Whether requests to Actuator's endpoints and to the metrics endpoint are never
		 * traced (checked after the rules, so a rule can still trace one of them).
		 */
		private boolean excludeManagementEndpoints = true;

		/**
		 * Returns the rules.
		 * @return the rules, in order
		 */
		public List<Rule> getRules() {
			return this.rules;
		}

		/**
		 * Sets the rules.
		 * @param rules the rules, in order
		 */
		public void setRules(List<Rule> rules) {
			this.rules = rules;
		}

		/**
		 * Returns whether management endpoints are never traced.
		 * @return whether they are left out
		 */
		public boolean isExcludeManagementEndpoints() {
			return this.excludeManagementEndpoints;
		}

		/**
		 * Sets whether management endpoints are never traced.
		 * @param excludeManagementEndpoints whether they are left out
		 */
		public void setExcludeManagementEndpoints(boolean excludeManagementEndpoints) {
			this.excludeManagementEndpoints = excludeManagementEndpoints;
		}

	}

	/**
	 * One sampling rule.
	 */
	public static final class Rule {

		/**
		 * Path pattern in Spring MVC's syntax, such as /api/orders/** or /api/users/{id},
		 * matched against the request path including any context path.
		 */
		private @Nullable String path;

		/**
		 * HTTP method the rule is limited to, such as GET; any method when not set.
		 */
		private @Nullable String method;

		/**
		 * Share of the matching requests that start a trace, from 0.0 (never traced) to
		 * 1.0.
		 */
		private @Nullable Double rate;

		/**
		 * Returns the path pattern.
		 * @return the pattern
		 */
		public @Nullable String getPath() {
			return this.path;
		}

		/**
		 * Sets the path pattern.
		 * @param path the pattern
		 */
		public void setPath(@Nullable String path) {
			this.path = path;
		}

		/**
		 * Returns the method.
		 * @return the method, or {@code null} for any
		 */
		public @Nullable String getMethod() {
			return this.method;
		}

		/**
		 * Sets the method.
		 * @param method the method, or {@code null} for any
		 */
		public void setMethod(@Nullable String method) {
			this.method = method;
		}

		/**
		 * Returns the rate.
		 * @return from 0.0 to 1.0
		 */
		public @Nullable Double getRate() {
			return this.rate;
		}

		/**
		 * Sets the rate.
		 * @param rate from 0.0 to 1.0
		 */
		public void setRate(@Nullable Double rate) {
			this.rate = rate;
		}

	}

}
