package dev.observability.core.tracing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the static attributes of {@link TraceFunction @TraceFunction} spans, which
 * {@link Tracing#invoke} sets only on a span that records.
 */
final class FunctionAttributesTests {

	private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("order.channel");

	private static final AttributeKey<String> TIER = AttributeKey.stringKey("order.tier");

	@Test
	void everyStaticAttributeIsOnARecordedSpan() throws Throwable {
		try (RecordedSpans spans = new RecordedSpans()) {
			assertThat(spans.tracing().invoke(spec(), "cart", (cart) -> cart + " placed")).isEqualTo("cart placed");
			assertThat(spans.only().getAttributes().asMap()).containsOnly(Map.entry(CHANNEL, "web"),
					Map.entry(TIER, "gold"));
		}
	}

	@Test
	void recordOnlySpanHasTheStaticAttributesThoughItIsNotSampled() throws Throwable {
		try (RecordedSpans spans = new RecordedSpans(new SeenAttributes(SamplingResult.recordOnly()))) {
			Object channel = spans.tracing().invoke(spec(), CHANNEL, (key) -> {
				assertThat(Span.current().getSpanContext().isSampled()).isFalse();
				return ((ReadableSpan) Span.current()).getAttribute(key);
			});
			assertThat(channel).isEqualTo("web");
			assertThat(spans.ended()).isEmpty();
		}
	}

	@Test
	void sampledOutCallRunsInANonRecordingSpanAndTheSamplerSeesNoStaticAttributes() throws Throwable {
		SeenAttributes sampler = new SeenAttributes(SamplingResult.drop());
		try (RecordedSpans spans = new RecordedSpans(sampler)) {
			Tracing tracing = spans.tracing();
			Object result = tracing.invoke(spec(), "cart", (cart) -> {
				assertThat(Span.current().getSpanContext().isValid()).isTrue();
				assertThat(Span.current().isRecording()).isFalse();
				return cart + " placed";
			});
			assertThat(result).isEqualTo("cart placed");
			IllegalStateException failure = new IllegalStateException("out of stock");
			assertThat(catchThrowable(() -> tracing.invoke(spec(), failure, (ex) -> {
				throw ex;
			}))).isSameAs(failure);
			assertThat(spans.ended()).isEmpty();
			assertThat(Span.current().getSpanContext().isValid()).isFalse();
		}
		// The trade-off documented on TraceFunction#attributes.
		assertThat(sampler.seen).hasSize(2).allSatisfy((attributes) -> assertThat(attributes.isEmpty()).isTrue());
	}

	@Test
	void spanThatRefusesAttributesIsStillCurrentAndEnded() throws Throwable {
		try (RecordedSpans spans = new RecordedSpans()) {
			Tracer real = spans.tracer();
			Tracing tracing = Tracing.create((Tracer) (name) -> refusingAttributes(real.spanBuilder(name)));
			Object result = tracing.invoke(spec(), "cart", (cart) -> {
				assertThat(Span.current().isRecording()).isTrue();
				return cart + " placed";
			});
			assertThat(result).isEqualTo("cart placed");
			assertThat(spans.only().getName()).isEqualTo("place");
			assertThat(spans.only().getAttributes().isEmpty()).isTrue();
			assertThat(Span.current().getSpanContext().isValid()).isFalse();
		}
	}

	private static FunctionSpec spec() throws NoSuchMethodException {
		Method method = Orders.class.getMethod("place");
		return FunctionSpec.of(method.getAnnotation(TraceFunction.class), Orders.class, method);
	}

	/** A builder whose spans fail on every attribute, as a broken span might. */
	private static SpanBuilder refusingAttributes(SpanBuilder builder) {
		return (SpanBuilder) Proxy.newProxyInstance(SpanBuilder.class.getClassLoader(),
				new Class<?>[] { SpanBuilder.class }, (proxy, method, args) -> {
					if (method.getName().equals("startSpan")) {
						return refusingAttributes(builder.startSpan());
					}
					method.invoke(builder, args);
					// Every other builder method is fluent.
					return proxy;
				});
	}

	private static Span refusingAttributes(Span span) {
		return (Span) Proxy.newProxyInstance(Span.class.getClassLoader(), new Class<?>[] { Span.class },
				(proxy, method, args) -> {
					if (method.getName().equals("setAttribute")) {
						throw new IllegalStateException("attributes refused");
					}
					return method.invoke(span, args);
				});
	}

	/** Makes one decision and keeps the attributes it was asked with. */
	private static final class SeenAttributes implements Sampler {

		private final SamplingResult result;

		final List<Attributes> seen = new CopyOnWriteArrayList<>();

		SeenAttributes(SamplingResult result) {
			this.result = result;
		}

		@Override
		public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
				Attributes attributes, List<LinkData> parentLinks) {
			this.seen.add(attributes);
			return this.result;
		}

		@Override
		public String getDescription() {
			return "SeenAttributes";
		}

	}

	static class Orders {

		@TraceFunction(spanName = "place", attributes = { "order.channel=web", "order.tier=gold" })
		public void place() {
		}

	}

}
