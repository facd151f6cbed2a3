package dev.observability.spring.autoconfigure.tracing;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PlainHttpSenderComponentLoader}: what the sender's configuration
 * becomes, and a real OTLP export through it.
 */
final class PlainHttpSenderComponentLoaderTests {

	@Test
	void plainHttpEndpointGetsThePlaintextContextAndKeepsEverythingElse() throws Exception {
		HttpSenderConfig config = config("http://127.0.0.1:4318/v1/traces", null);
		HttpSenderConfig plain = PlainHttpSenderComponentLoader.withPlaintextTls(config);
		assertThat(plain.getSslContext()).isInstanceOf(PlaintextSslContext.class);
		assertThat(plain.getTrustManager()).isSameAs(PlaintextSslContext.TRUST_NONE);
		assertThat(plain.getEndpoint()).isEqualTo(URI.create("http://127.0.0.1:4318/v1/traces"));
		assertThat(plain.getContentType()).isEqualTo("application/x-protobuf");
		assertThat(plain.getTimeout()).isEqualTo(Duration.ofSeconds(7));
		assertThat(plain.getMaxResponseBodySize()).isEqualTo(1234L);
	}

	@Test
	void tlsEndpointsAndContextsOfTheApplicationAreLeftAlone() throws Exception {
		HttpSenderConfig https = config("https://collector:4318/v1/traces", null);
		assertThat(PlainHttpSenderComponentLoader.withPlaintextTls(https)).isSameAs(https);
		HttpSenderConfig own = config("http://127.0.0.1:4318/v1/traces", SSLContext.getDefault());
		assertThat(PlainHttpSenderComponentLoader.withPlaintextTls(own)).isSameAs(own);
	}

	@Test
	void theOnlySenderProviderIsHandedThePlaintextConfiguration() {
		List<HttpSenderConfig> seen = new ArrayList<>();
		HttpSenderProvider recording = (config) -> {
			seen.add(config);
			return null;
		};
		PlainHttpSenderComponentLoader loader = new PlainHttpSenderComponentLoader(loading(List.of(recording)));
		List<HttpSenderProvider> providers = ComponentLoader.loadList(loader, HttpSenderProvider.class);
		assertThat(providers).hasSize(1);
		providers.get(0).createSender(config("http://127.0.0.1:4318/v1/traces", null));
		assertThat(seen).singleElement()
			.satisfies((config) -> assertThat(config.getSslContext()).isInstanceOf(PlaintextSslContext.class));
		assertThat(ComponentLoader.loadList(loader, String.class)).as("other components").containsExactly("other");
	}

	@Test
	void severalSenderProvidersAreLeftForOpenTelemetryToChooseFrom() {
		HttpSenderProvider first = (config) -> null;
		HttpSenderProvider second = (config) -> null;
		PlainHttpSenderComponentLoader loader = new PlainHttpSenderComponentLoader(loading(List.of(first, second)));
		assertThat(ComponentLoader.loadList(loader, HttpSenderProvider.class)).containsExactly(first, second);
	}

	@Test
	void otlpExporterSendsSpansThroughIt() {
		try (OtlpHttpProtocolReceiver receiver = OtlpHttpProtocolReceiver.start()) {
			OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
				.setEndpoint(receiver.endpoint() + OtlpHttpProtocolReceiver.TRACES_PATH)
				.setComponentLoader(new PlainHttpSenderComponentLoader(
						ComponentLoader.forClassLoader(OtlpHttpSpanExporter.class.getClassLoader())))
				.build();
			try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
				.addSpanProcessor(SimpleSpanProcessor.create(exporter))
				.build()) {
				Span span = tracerProvider.get("test").spanBuilder("plain-http").startSpan();
				span.end();
				List<ReceivedSpan> spans = receiver.awaitSpans(1, Duration.ofSeconds(10));
				assertThat(spans).extracting(ReceivedSpan::name).containsExactly("plain-http");
			}
		}
	}

	@Test
	void anApplicationsOwnComponentLoaderWins() {
		List<Class<?>> asked = new ArrayList<>();
		ComponentLoader standard = ComponentLoader.forClassLoader(OtlpHttpSpanExporter.class.getClassLoader());
		ComponentLoader applications = new ComponentLoader() {

			@Override
			public <T> Iterable<T> load(Class<T> type) {
				asked.add(type);
				return standard.load(type);
			}

		};
		new ApplicationContextRunner()
			.withUserConfiguration(ObservabilityTracingAutoConfiguration.OtlpPlainHttpConfiguration.class)
			.withPropertyValues("management.tracing.enabled=true")
			.withBean("applicationCustomizer", OtlpHttpSpanExporterBuilderCustomizer.class,
					() -> (builder) -> builder.setComponentLoader(applications))
			.run((context) -> {
				assertThat(context.getBeanNamesForType(OtlpHttpSpanExporterBuilderCustomizer.class))
					.contains("observabilityOtlpPlainHttpCustomizer", "applicationCustomizer");
				OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
					.setEndpoint("http://127.0.0.1:4318/v1/traces");
				context.getBeanProvider(OtlpHttpSpanExporterBuilderCustomizer.class)
					.orderedStream()
					.forEach((customizer) -> customizer.customize(builder));
				builder.build().shutdown();
				assertThat(asked).contains(HttpSenderProvider.class);
			});
	}

	/** A loader that finds these providers, and "other" for any other type. */
	private static ComponentLoader loading(List<HttpSenderProvider> providers) {
		return new ComponentLoader() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> Iterable<T> load(Class<T> type) {
				return (type == HttpSenderProvider.class) ? (Iterable<T>) providers : (Iterable<T>) List.of("other");
			}

		};
	}

	private static HttpSenderConfig config(String endpoint, SSLContext sslContext) {
		Map<String, Object> values = new java.util.HashMap<>();
		values.put("getEndpoint", URI.create(endpoint));
		values.put("getContentType", "application/x-protobuf");
		values.put("getTimeout", Duration.ofSeconds(7));
		values.put("getMaxResponseBodySize", 1234L);
		values.put("getSslContext", sslContext);
		return (HttpSenderConfig) Proxy.newProxyInstance(HttpSenderConfig.class.getClassLoader(),
				new Class<?>[] { HttpSenderConfig.class }, (proxy, method, args) -> values.get(method.getName()));
	}

}
