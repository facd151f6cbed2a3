package dev.observability.core.tracing;

import java.lang.management.ManagementFactory;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests for {@link Tracing}'s spans for code blocks, database and cache operations.
 */
final class TracingTests {

	private final RecordedSpans spans = new RecordedSpans();

	private final Tracing tracing = this.spans.tracing();

	@AfterEach
	void closeProvider() {
		this.spans.close();
	}

	@Test
	void traceStartsACurrentInternalSpanThatEndsOnClose() {
		try (TraceContext context = this.tracing.trace("reprice-basket")) {
			assertThat(Span.current().getSpanContext()).isEqualTo(context.span().getSpanContext());
			assertThat(this.spans.ended()).isEmpty();
		}
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("reprice-basket");
		assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
		assertThat(span.hasEnded()).isTrue();
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
	}

	@Test
	void nestedBlocksGiveParentAndChild() {
		try (TraceContext outer = this.tracing.trace("outer")) {
			try (TraceContext inner = this.tracing.traceDatabaseOperation("SELECT", "orders")) {
				inner.attribute("rows", 3L);
			}
			try (TraceContext sibling = this.tracing.traceCacheOperation("get", "prices")) {
				sibling.attribute("cache.hit", true);
			}
		}
		SpanData inner = this.spans.ended().get(0);
		SpanData sibling = this.spans.ended().get(1);
		SpanData outer = this.spans.ended().get(2);
		assertThat(outer.getParentSpanContext().isValid()).isFalse();
		assertThat(inner.getParentSpanId()).isEqualTo(outer.getSpanId());
		assertThat(sibling.getParentSpanId()).isEqualTo(outer.getSpanId());
		assertThat(inner.getTraceId()).isEqualTo(outer.getTraceId());
	}

	@Test
	void databaseOperationFollowsTheDatabaseClientConventions() {
		this.tracing.traceDatabaseOperation("SELECT", "orders").close();
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("SELECT orders");
		assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(span.getAttributes().asMap()).containsOnly(entry("db.operation.name", "SELECT"),
				entry("db.collection.name", "orders"));
	}

	@Test
	void databaseOperationWithTheSystemSetsDbSystemName() {
		this.tracing.traceDatabaseOperation("findAndModify", "products", "mongodb").close();
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("findAndModify products");
		assertThat(span.getAttributes().asMap()).containsOnly(entry("db.operation.name", "findAndModify"),
				entry("db.collection.name", "products"), entry("db.system.name", "mongodb"));
	}

	@Test
	void databaseOperationWithoutATableIsNamedAfterTheOperation() {
		this.tracing.traceDatabaseOperation("COMMIT", "").close();
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("COMMIT");
		assertThat(span.getAttributes().asMap()).containsOnly(entry("db.operation.name", "COMMIT"));
	}

	@Test
	void databaseSpansAreNamedRightBeyondTheNumberOfNamesKept() {
		int tables = OperationSpanNames.MAX_NAMES + 50;
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < tables; i++) {
				this.tracing.traceDatabaseOperation("SELECT", "table" + i, "postgresql").close();
			}
		}
		assertThat(this.spans.ended()).hasSize(2 * tables);
		for (int i = 0; i < 2 * tables; i++) {
			SpanData span = this.spans.ended().get(i);
			String table = "table" + (i % tables);
			assertThat(span.getName()).isEqualTo("SELECT " + table);
			assertThat(span.getAttributes().get(Tracing.DB_COLLECTION_NAME)).isEqualTo(table);
		}
	}

	@Test
	void cacheOperationIsAnInternalSpanWithTheDatabaseNamesAndNoSystem() {
		try (TraceContext context = this.tracing.traceCacheOperation("get", "prices")) {
			context.attribute("cache.hit", false);
		}
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("get prices");
		assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
		assertThat(span.getAttributes().asMap()).containsOnly(entry("db.operation.name", "get"),
				entry("db.collection.name", "prices"), Map.entry(AttributeKey.booleanKey("cache.hit"), false));
	}

	@Test
	void noopFacadeReturnsTheSharedNoopContextEverywhere() {
		Tracing noop = Tracing.noop();
		assertThat(noop.isEnabled()).isFalse();
		assertThat(noop.trace("a")).isSameAs(TraceContext.NOOP);
		assertThat(noop.traceDatabaseOperation("SELECT", "orders")).isSameAs(TraceContext.NOOP);
		assertThat(noop.traceDatabaseOperation("SELECT", "orders", "postgresql")).isSameAs(TraceContext.NOOP);
		assertThat(noop.traceCacheOperation("get", "prices")).isSameAs(TraceContext.NOOP);
	}

	@Test
	void theApisNoopTracerGivesTheNoopFacade() {
		assertThat(Tracing.create(OpenTelemetry.noop())).isSameAs(Tracing.noop());
		assertThat(Tracing.create(TracerProvider.noop().get("any", "1.0"))).isSameAs(Tracing.noop());
		assertThat(Tracing.create(this.spans.tracer())).isNotSameAs(Tracing.noop());
	}

	@Test
	void disabledTracerIsNeverAskedForASpanBuilder() {
		Tracing disabled = Tracing.create(new BrokenTracer(false));
		assertThat(disabled.isEnabled()).isFalse();
		assertThat(disabled.trace("a")).isSameAs(TraceContext.NOOP);
		assertThat(disabled.traceCacheOperation("get", "prices")).isSameAs(TraceContext.NOOP);
	}

	@Test
	void brokenTracerDegradesToNoSpanInsteadOfThrowing() {
		Tracing broken = Tracing.create(new BrokenTracer(true));
		assertThat(broken.isEnabled()).isTrue();
		assertThat(broken.trace("a")).isSameAs(TraceContext.NOOP);
		assertThat(broken.traceDatabaseOperation("SELECT", "orders", "h2")).isSameAs(TraceContext.NOOP);
		assertThat(broken.traceCacheOperation("get", "prices")).isSameAs(TraceContext.NOOP);
	}

	@Test
	void nullNamesAreRefusedWhetherOrNotTracingIsOn() {
		for (Tracing each : new Tracing[] { this.tracing, Tracing.noop() }) {
			assertThatNullPointerException().isThrownBy(() -> each.trace(null)).withMessage("spanName");
			assertThatNullPointerException().isThrownBy(() -> each.traceDatabaseOperation(null, "t"))
				.withMessage("operation");
			assertThatNullPointerException().isThrownBy(() -> each.traceDatabaseOperation("SELECT", null))
				.withMessage("table");
			assertThatNullPointerException().isThrownBy(() -> each.traceDatabaseOperation("SELECT", "t", null))
				.withMessage("system");
			assertThatNullPointerException().isThrownBy(() -> each.traceCacheOperation("get", null))
				.withMessage("cacheName");
		}
		assertThatNullPointerException().isThrownBy(() -> Tracing.create((Tracer) null)).withMessage("tracer");
		assertThat(this.spans.ended()).isEmpty();
	}

	@Test
	void noopFacadeAllocatesNothingPerCall() {
		Tracing noop = Tracing.noop();
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		for (int i = 0; i < 20_000; i++) {
			noopCalls(noop);
		}
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < 100_000; i++) {
			noopCalls(noop);
		}
		long allocated = threads.getThreadAllocatedBytes(thread) - before;
		// Four calls per round: even 8 bytes per call would be 3.2 MB.
		assertThat(allocated).isLessThan(64 * 1024);
	}

	private static void noopCalls(Tracing noop) {
		try (TraceContext context = noop.trace("block")) {
			context.attribute("key", 1L).attribute("flag", true).attribute("name", "value");
		}
		noop.traceDatabaseOperation("SELECT", "orders").close();
		noop.traceCacheOperation("get", "prices").close();
		noop.trace("other").recordException(null).error("timeout").close();
	}

	private static Map.Entry<AttributeKey<?>, Object> entry(String key, String value) {
		return Map.entry(AttributeKey.stringKey(key), value);
	}

	/**
	 * A tracer whose span builders fail: a broken SDK or sampler.
	 */
	private static final class BrokenTracer implements Tracer {

		private final boolean enabled;

		BrokenTracer(boolean enabled) {
			this.enabled = enabled;
		}

		@Override
		public boolean isEnabled() {
			return this.enabled;
		}

		@Override
		public SpanBuilder spanBuilder(String spanName) {
			throw new IllegalStateException("broken tracer");
		}

	}

}
