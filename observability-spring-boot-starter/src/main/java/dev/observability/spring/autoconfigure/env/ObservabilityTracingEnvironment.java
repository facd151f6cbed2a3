package dev.observability.spring.autoconfigure.env;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.observability.spring.autoconfigure.tracing.ObservabilityTracingProperties.Exporter;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Drives Spring Boot's OpenTelemetry tracing from the starter's
 * {@code observability.tracing.*} switches (and their environment aliases): it writes the
 * matching {@code management.*} properties into a property source of the lowest
 * precedence, so anything the application sets explicitly still wins.
 * <p>
 * Tracing is on exactly when the chosen exporter has somewhere to send spans, unless
 * {@code observability.tracing.enabled} says otherwise; off, Boot's tracing is switched
 * off altogether, so no exporter thread runs and nothing is sent to Zipkin's default
 * {@code localhost:9411}. Boot's Zipkin sender (an HTTP client that loads the JDK's trust
 * store at start-up) is left out too whenever Zipkin export is off
 * ({@code management.tracing.export.zipkin.enabled=true} keeps it). A value that cannot
 * be read is left out here: binding {@code observability.tracing.*} reports it at
 * start-up with the starter's message.
 */
public final class ObservabilityTracingEnvironment implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the derived properties. */
	public static final String PROPERTY_SOURCE_NAME = "observabilityTracingDefaults";

	/**
	 * Name of the property source that adds the auto-configurations tracing does not use
	 * (all of Boot's OpenTelemetry tracing while tracing is off, Boot's Zipkin sender
	 * while Zipkin export is off) to the excluded ones.
	 */
	public static final String EXCLUSIONS_SOURCE_NAME = "observabilityTracingExclusions";

	static final String AUTOCONFIGURE_EXCLUDE = "spring.autoconfigure.exclude";

	static final List<String> OPENTELEMETRY_TRACING = List.of(
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
			// Without a trace, exemplars would only cost a look-up per histogram record.
			"org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration");

	/**
	 * Boot's Zipkin sender and its use by OpenTelemetry. Boot creates the sender, a JDK
	 * {@code HttpClient} that loads the default {@code SSLContext} and so the trust
	 * store, whenever zipkin-reporter is on the class path, which the starter's
	 * {@code zipkin} exporter puts there. Left out, the harness's app with tracing off
	 * loaded about 600 classes fewer and started with 4 % less CPU.
	 */
	static final List<String> ZIPKIN = List.of("org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin."
					+ "ZipkinWithOpenTelemetryTracingAutoConfiguration");

	static final String BOOT_TRACING_ENABLED = "management.tracing.enabled";

	static final String BOOT_PROBABILITY = "management.tracing.sampling.probability";

	static final String BOOT_OTLP_ENABLED = "management.tracing.export.otlp.enabled";

	static final String BOOT_ZIPKIN_ENABLED = "management.tracing.export.zipkin.enabled";

	static final String BOOT_OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	static final String BOOT_ZIPKIN_ENDPOINT = "management.tracing.export.zipkin.endpoint";

	static final String BOOT_SERVICE_NAME = "management.opentelemetry.resource-attributes[service.name]";

	static final String BOOT_BAGGAGE_CORRELATION_ENABLED = "management.tracing.baggage.correlation.enabled";

	static final String BOOT_BAGGAGE_CORRELATION_FIELDS = "management.tracing.baggage.correlation.fields";

	/**
	 * The OTLP/HTTP path of traces, appended to a base endpoint as the OTLP spec says.
	 */
	private static final String TRACES_PATH = "/v1/traces";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		Map<String, Object> values = new LinkedHashMap<>();
		boolean on;
		try {
			on = isOn(binder, "observability.enabled", true) && tracingOn(binder, environment);
			values.put(BOOT_TRACING_ENABLED, Boolean.toString(on));
			if (on) {
				configure(binder, environment, values);
			}
		}
		catch (BindException ex) {
			// Reported with the starter's message when observability.* is bound.
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, values));
		Set<String> unused = new LinkedHashSet<>();
		if (!on) {
			unused.addAll(OPENTELEMETRY_TRACING);
		}
		if (!on || !zipkinExportOn(binder)) {
			unused.addAll(ZIPKIN);
		}
		exclude(binder, environment, unused);
	}

	/**
	 * Whether Boot exports to Zipkin, read after the starter's defaults were added (the
	 * binder sees the environment's property sources as they are now), so that the
	 * application's own {@code management.tracing.export.zipkin.enabled} wins over ours.
	 */
	private static boolean zipkinExportOn(Binder binder) {
		try {
			return binder.bind(BOOT_ZIPKIN_ENABLED, Boolean.class).orElse(true);
		}
		catch (BindException ex) {
			// Boot reports the value when it binds it; the sender is left in place.
			return true;
		}
	}

	/**
	 * Off means off: without Boot's OpenTelemetry tracing auto-configurations, Micrometer
	 * Tracing falls back to its no-op tracer, so observations and spans cost nothing; and
	 * an exporter that is not used is not created. The application's own exclusions are
	 * kept.
	 */
	private static void exclude(Binder binder, ConfigurableEnvironment environment, Set<String> unused) {
		Set<String> excluded = new LinkedHashSet<>(
				Arrays.asList(binder.bind(AUTOCONFIGURE_EXCLUDE, String[].class).orElse(new String[0])));
		if (excluded.containsAll(unused)) {
			return;
		}
		excluded.addAll(unused);
		environment.getPropertySources()
			.addFirst(new MapPropertySource(EXCLUSIONS_SOURCE_NAME,
					Map.of(AUTOCONFIGURE_EXCLUDE, String.join(",", excluded))));
	}

	private static boolean tracingOn(Binder binder, ConfigurableEnvironment environment) {
		Boolean explicit = binder.bind("observability.tracing.enabled", Boolean.class).orElse(null);
		if (explicit != null) {
			return explicit;
		}
		return switch (exporter(binder)) {
			case OTLP -> StringUtils.hasText(environment.getProperty("observability.tracing.otlp.endpoint"))
					|| StringUtils.hasText(environment.getProperty(BOOT_OTLP_ENDPOINT));
			case ZIPKIN -> StringUtils.hasText(environment.getProperty("observability.tracing.zipkin.endpoint"))
					|| StringUtils.hasText(environment.getProperty(BOOT_ZIPKIN_ENDPOINT));
			case LOGGING -> true;
			case NONE -> false;
		};
	}

	private static void configure(Binder binder, ConfigurableEnvironment environment, Map<String, Object> values) {
		Double rate = binder.bind("observability.tracing.sample-rate", Double.class).orElse(0.1);
		if (rate >= 0.0 && rate <= 1.0) {
			values.put(BOOT_PROBABILITY, rate.toString());
		}
		Exporter exporter = exporter(binder);
		values.put(BOOT_OTLP_ENABLED, Boolean.toString(exporter == Exporter.OTLP));
		values.put(BOOT_ZIPKIN_ENABLED, Boolean.toString(exporter == Exporter.ZIPKIN));
		// An endpoint that is not a URL is left out, so that binding
		// observability.tracing
		// reports it rather than the exporter failing with its own message.
		String otlp = environment.getProperty("observability.tracing.otlp.endpoint");
		if (PropertyChecks.isHttpUrl(otlp)) {
			values.put(BOOT_OTLP_ENDPOINT, tracesUrl(otlp.trim()));
		}
		String zipkin = environment.getProperty("observability.tracing.zipkin.endpoint");
		if (PropertyChecks.isHttpUrl(zipkin)) {
			values.put(BOOT_ZIPKIN_ENDPOINT, zipkin.trim());
		}
		String serviceName = environment.getProperty("observability.tracing.service-name");
		if (StringUtils.hasText(serviceName)) {
			values.put(BOOT_SERVICE_NAME, serviceName.trim());
		}
		// Boot's listener that copies baggage fields into the MDC runs on every change of
		// the current span (twice per request at least); with no field to copy it does
		// nothing useful.
		if (binder.bind(BOOT_BAGGAGE_CORRELATION_FIELDS, Bindable.listOf(String.class))
			.map(List::isEmpty)
			.orElse(true)) {
			values.put(BOOT_BAGGAGE_CORRELATION_ENABLED, "false");
		}
	}

	private static Exporter exporter(Binder binder) {
		return binder.bind("observability.tracing.exporter", Exporter.class).orElse(Exporter.OTLP);
	}

	static String tracesUrl(String endpoint) {
		String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
		return base.toLowerCase(Locale.ROOT).endsWith(TRACES_PATH) ? base : base + TRACES_PATH;
	}

	private static boolean isOn(Binder binder, String name, boolean ifMissing) {
		Boolean value = binder.bind(name, Boolean.class).orElse(null);
		return (value != null) ? value : ifMissing;
	}

	@Override
	public int getOrder() {
		// After ObservabilityEnvironmentAliases, whose TRACING_* and OTEL_* aliases it
		// reads.
		return Ordered.LOWEST_PRECEDENCE;
	}

}
