package dev.observability.spring.autoconfigure.tracing;

import java.net.URI;
import java.util.Locale;

import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
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

	static @Nullable String checkUrl(String property, @Nullable String url) {
		if (url == null || url.isBlank()) {
			return null;
		}
		try {
			URI uri = URI.create(url.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
				return url.trim();
			}
		}
		catch (IllegalArgumentException ex) {
			// Reported below.
		}
		throw new InvalidObservabilityPropertyException(property, url,
				"an http:// or https:// URL with a host, such as http://localhost:4318");
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

}
