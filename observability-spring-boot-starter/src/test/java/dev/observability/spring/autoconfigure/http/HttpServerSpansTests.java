package dev.observability.spring.autoconfigure.http;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpServerSpans}: when the caller's context is extracted, and which
 * attributes a recorded server span carries.
 */
final class HttpServerSpansTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PARENT_ID = "00f067aa0ba902b7";

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	private final CountingPropagator propagator = new CountingPropagator(W3CTraceContextPropagator.getInstance());

	private final HttpServerSpans spans = new HttpServerSpans(this.provider.get("test"), this.propagator);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void doesNotAskThePropagatorWhenTheRequestCarriesNoneOfItsHeaders() {
		Span span = this.spans.start(request("GET"));
		assertThat(this.propagator.extractions).hasValue(0);
		assertThat(span.getSpanContext().getTraceId()).isNotEqualTo(TRACE_ID);
		assertThat(finish(span).getParentSpanContext().isValid()).isFalse();
	}

	@Test
	void continuesTheCallersTrace() {
		MockHttpServletRequest request = request("GET");
		request.addHeader("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		Span span = this.spans.start(request);
		assertThat(this.propagator.extractions).hasValue(1);
		SpanData data = finish(span);
		assertThat(data.getTraceId()).isEqualTo(TRACE_ID);
		assertThat(data.getParentSpanId()).isEqualTo(PARENT_ID);
	}

	@Test
	void findsTheHeaderWhateverItsCase() {
		MockHttpServletRequest request = request("GET");
		request.addHeader("TraceParent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
		assertThat(finish(this.spans.start(request)).getTraceId()).isEqualTo(TRACE_ID);
	}

	@Test
	void alwaysAsksAPropagatorThatDeclaresNoHeader() {
		CountingPropagator fieldless = new CountingPropagator(W3CTraceContextPropagator.getInstance(), List.of());
		new HttpServerSpans(this.provider.get("test"), fieldless).start(request("GET")).end();
		assertThat(fieldless.extractions).hasValue(1);
	}

	@Test
	void recordedSpanCarriesTheRequestsAttributes() {
		SpanData data = finish(this.spans.start(request("GET")));
		assertThat(data.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(data.getAttributes().get(HttpServerSpans.METHOD)).isEqualTo("GET");
		assertThat(data.getAttributes().get(HttpServerSpans.URL_PATH)).isEqualTo("/items/1");
		assertThat(data.getAttributes().get(HttpServerSpans.URL_SCHEME)).isEqualTo("http");
		assertThat(data.getAttributes().get(HttpServerSpans.SERVER_ADDRESS)).isEqualTo("example.org");
		assertThat(data.getAttributes().get(HttpServerSpans.SERVER_PORT)).isEqualTo(8080L);
		assertThat(data.getAttributes().get(HttpServerSpans.METHOD_ORIGINAL)).isNull();
	}

	@Test
	void unknownMethodIsReportedAsOtherWithTheOriginal() {
		SpanData data = finish(this.spans.start(request("PURGE")));
		assertThat(data.getName()).isEqualTo("HTTP");
		assertThat(data.getAttributes().get(HttpServerSpans.METHOD)).isEqualTo("_OTHER");
		assertThat(data.getAttributes().get(HttpServerSpans.METHOD_ORIGINAL)).isEqualTo("PURGE");
	}

	private SpanData finish(Span span) {
		span.end();
		return assertThat(this.exporter.getFinishedSpanItems()).singleElement().actual();
	}

	private static MockHttpServletRequest request(String method) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/items/1");
		request.setServerName("example.org");
		request.setServerPort(8080);
		return request;
	}

	private static final class CountingPropagator implements TextMapPropagator {

		private final TextMapPropagator delegate;

		private final Collection<String> fields;

		private final AtomicInteger extractions = new AtomicInteger();

		CountingPropagator(TextMapPropagator delegate) {
			this(delegate, delegate.fields());
		}

		CountingPropagator(TextMapPropagator delegate, Collection<String> fields) {
			this.delegate = delegate;
			this.fields = fields;
		}

		@Override
		public Collection<String> fields() {
			return this.fields;
		}

		@Override
		public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
			this.delegate.inject(context, carrier, setter);
		}

		@Override
		public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
			this.extractions.incrementAndGet();
			return this.delegate.extract(context, carrier, getter);
		}

	}

}
