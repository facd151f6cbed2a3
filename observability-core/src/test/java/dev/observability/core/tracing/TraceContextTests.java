package dev.observability.core.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link TraceContext}.
 */
final class TraceContextTests {

	private final RecordedSpans spans = new RecordedSpans();

	private final Tracing tracing = this.spans.tracing();

	@AfterEach
	void closeProvider() {
		this.spans.close();
	}

	@Test
	void settersSetTypedAttributesAndSkipNullStrings() {
		try (TraceContext context = this.tracing.trace("block")) {
			assertThat(context.attribute("text", "value")
				.attribute("count", 3L)
				.attribute("ratio", 0.5)
				.attribute("flag", true)
				.attribute("absent", (String) null)).isSameAs(context);
			assertThat(context.isRecording()).isTrue();
		}
		SpanData span = this.spans.only();
		assertThat(span.getAttributes().get(AttributeKey.stringKey("text"))).isEqualTo("value");
		assertThat(span.getAttributes().get(AttributeKey.longKey("count"))).isEqualTo(3L);
		assertThat(span.getAttributes().get(AttributeKey.doubleKey("ratio"))).isEqualTo(0.5);
		assertThat(span.getAttributes().get(AttributeKey.booleanKey("flag"))).isTrue();
		assertThat(span.getAttributes().size()).isEqualTo(4);
	}

	@Test
	void recordExceptionSetsErrorStatusErrorTypeAndAnExceptionEvent() {
		IllegalStateException failure = new IllegalStateException("out of stock");
		try (TraceContext context = this.tracing.trace("block")) {
			context.recordException(failure);
		}
		SpanData span = this.spans.only();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo("java.lang.IllegalStateException");
		EventData event = span.getEvents().get(0);
		assertThat(event.getName()).isEqualTo("exception");
		assertThat(event.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("out of stock");
	}

	@Test
	void errorMarksTheSpanFailedWithTheGivenType() {
		try (TraceContext context = this.tracing.traceDatabaseOperation("SELECT", "orders")) {
			context.error("timeout");
		}
		SpanData span = this.spans.only();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("timeout");
		assertThat(span.getEvents()).isEmpty();
	}

	@Test
	void closingTwiceEndsTheSpanOnceAndRestoresTheOuterSpanOnce() {
		try (TraceContext outer = this.tracing.trace("outer")) {
			TraceContext inner = this.tracing.trace("inner");
			inner.close();
			inner.close();
			assertThat(Span.current().getSpanContext()).isEqualTo(outer.span().getSpanContext());
		}
		assertThat(this.spans.ended()).extracting(SpanData::getName).containsExactly("inner", "outer");
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
	}

	@Test
	void exceptionWhoseMessageFailsDoesNotEscape() {
		try (TraceContext context = this.tracing.trace("block")) {
			assertThat(context.recordException(new HostileException())).isSameAs(context);
		}
		SpanData span = this.spans.only();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo(HostileException.class.getName());
	}

	@Test
	void noopContextDoesNothingAndCanBeClosedAnyNumberOfTimes() {
		TraceContext noop = Tracing.noop().trace("block");
		assertThat(noop.attribute("a", "b").attribute("n", 1L).recordException(new RuntimeException()).error("x"))
			.isSameAs(noop);
		assertThat(noop.isRecording()).isFalse();
		assertThat(noop.span().getSpanContext().isValid()).isFalse();
		noop.close();
		noop.close();
		assertThat(Tracing.noop().trace("again")).isSameAs(noop);
	}

	@Test
	void nullKeysAreRefusedWhetherOrNotTracingIsOn() {
		for (TraceContext context : new TraceContext[] { this.tracing.trace("block"), TraceContext.NOOP }) {
			assertThatNullPointerException().isThrownBy(() -> context.attribute(null, "v")).withMessage("key");
			assertThatNullPointerException().isThrownBy(() -> context.attribute(null, 1L)).withMessage("key");
			assertThatNullPointerException().isThrownBy(() -> context.error(null)).withMessage("type");
			context.close();
		}
	}

	/**
	 * An exception whose message cannot be read, as some wrappers of remote errors do.
	 */
	static final class HostileException extends RuntimeException {

		@Override
		public String getMessage() {
			throw new IllegalStateException("no message for you");
		}

	}

}
