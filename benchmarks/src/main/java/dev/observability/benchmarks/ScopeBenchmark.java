package dev.observability.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.otel.bridge.EventListener;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.sdk.trace.IdGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

/**
 * What making a request's span current and closing its scope costs, with and without the
 * log correlation Spring Boot adds: Micrometer Tracing's
 * {@link EventPublishingContextWrapper} around OpenTelemetry's context storage,
 * publishing scope events to {@link Slf4JEventListener}, which copies the trace and span
 * ids into Logback's MDC and takes them out again. The span is a non-recording one, as
 * for the 90 % of requests that are not sampled; the listener treats sampled spans the
 * same way.
 * <p>
 * Boot reaches the same wrapper through one more storage of its own (a volatile read per
 * attach), which this leaves out. The wrapper is global, so each configuration needs its
 * own fork: the set-up fails when the MDC does not show what the configuration says.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ScopeBenchmark {

	/** How the context storage is set up. */
	public enum Wiring {

		/** OpenTelemetry's thread-local storage alone: no log correlation. */
		PLAIN,

		/** Boot's set-up: scope events to the MDC listener, on Logback's MDC. */
		MDC_EVENTS

	}

	@Param
	public Wiring wiring;

	private Span span = Span.getInvalid();

	@Setup
	public void wire() {
		if (this.wiring == Wiring.MDC_EVENTS) {
			// A list, as Boot's publisher hands each event to every listener bean in
			// turn.
			List<EventListener> listeners = List.of(new Slf4JEventListener());
			ContextStorage.addWrapper(new EventPublishingContextWrapper((event) -> {
				for (EventListener listener : listeners) {
					listener.onEvent(event);
				}
			}));
		}
		IdGenerator ids = IdGenerator.random();
		this.span = Span.wrap(SpanContext.create(ids.generateTraceId(), ids.generateSpanId(), TraceFlags.getDefault(),
				TraceState.getDefault()));
		String expected = (this.wiring == Wiring.MDC_EVENTS) ? this.span.getSpanContext().getTraceId() : null;
		String seen;
		try (io.opentelemetry.context.Scope scope = this.span.makeCurrent()) {
			seen = MDC.get("traceId");
		}
		if (expected == null ? seen != null : !expected.equals(seen)) {
			throw new IllegalStateException("The MDC held '" + seen + "' inside the scope under " + this.wiring
					+ ", not '" + expected + "': each wiring needs its own fork (run with -f 1 or more)");
		}
	}

	/** Each iteration must leave the thread as it found it. */
	@TearDown(Level.Iteration)
	public void checkNothingLeaked() {
		if (Context.current() != Context.root() || MDC.get("traceId") != null) {
			throw new IllegalStateException("A scope or an MDC entry outlived its request under " + this.wiring);
		}
	}

	/** One request's worth: the span made current, then its scope closed. */
	@Benchmark
	public io.opentelemetry.context.Scope makeCurrentAndClose() {
		io.opentelemetry.context.Scope scope = this.span.makeCurrent();
		scope.close();
		return scope;
	}

}
