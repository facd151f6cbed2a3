package dev.observability.core.tracing;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * Spans for code blocks, database and cache operations, and the calls of
 * {@link TraceFunction @TraceFunction} methods, on an OpenTelemetry {@link Tracer}. Each
 * span's parent is the span current on the calling thread. <pre>{@code
 * Tracing tracing = Tracing.create(openTelemetry);
 *
 * try (TraceContext span = tracing.traceDatabaseOperation("SELECT", "orders", "postgresql")) {
 *     return jdbc.query(FIND_OPEN_ORDERS, mapper);
 * }
 *
 * try (TraceContext span = tracing.traceCacheOperation("get", "prices")) {
 *     Price price = cache.get(sku, Price.class);
 *     span.attribute("cache.hit", price != null);
 *     return price;
 * }
 * }</pre>
 * <p>
 * Nothing here throws into the traced code: a failure of the tracing machinery itself (a
 * broken sampler or span processor) is logged once and the work goes on untraced. Only a
 * {@code null} name or key is refused, at once and whether or not tracing is on, since it
 * is a programming error. With {@link #noop()} or a no-op {@code Tracer}, every method
 * returns {@link TraceContext}'s shared no-op instance without building a span.
 * <p>
 * Attribute names follow the OpenTelemetry semantic conventions. Database spans use the
 * stable database client conventions. There is no OpenTelemetry convention for caches yet
 * (a cache namespace is still a proposal), so cache spans reuse the database attribute
 * names, as the Redis and Memcached conventions do, on an {@code INTERNAL} span; see
 * {@link #traceCacheOperation}.
 */
public final class Tracing {

	/** Name of the instrumentation scope of the spans started here. */
	public static final String INSTRUMENTATION_SCOPE = "dev.observability";

	static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");

	static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");

	static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");

	private static final InternalLogger logger = InternalLoggerFactory.getInstance(Tracing.class);

	private static final Tracing NOOP = new Tracing(null);

	/** The API's no-op tracer: every no-op provider hands out this one instance. */
	private static final Tracer NOOP_TRACER = TracerProvider.noop().get(INSTRUMENTATION_SCOPE);

	/** {@code null} when tracing is off for good. */
	private final @Nullable Tracer tracer;

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	private final OperationSpanNames operationSpanNames = new OperationSpanNames();

	private Tracing(@Nullable Tracer tracer) {
		this.tracer = tracer;
	}

	/**
	 * Returns tracing on the tracer of an OpenTelemetry instance, named
	 * {@value #INSTRUMENTATION_SCOPE} with this library's version when its jar declares
	 * one.
	 * @param openTelemetry the OpenTelemetry instance
	 * @return the tracing facade; {@link #noop()} for {@code OpenTelemetry.noop()}
	 */
	public static Tracing create(OpenTelemetry openTelemetry) {
		Objects.requireNonNull(openTelemetry, "openTelemetry");
		String version = Tracing.class.getPackage().getImplementationVersion();
		return create((version != null) ? openTelemetry.getTracer(INSTRUMENTATION_SCOPE, version)
				: openTelemetry.getTracer(INSTRUMENTATION_SCOPE));
	}

	/**
	 * Returns tracing on a tracer.
	 * @param tracer the tracer
	 * @return the tracing facade; {@link #noop()} for the API's no-op tracer
	 */
	public static Tracing create(Tracer tracer) {
		Objects.requireNonNull(tracer, "tracer");
		return (tracer == NOOP_TRACER) ? NOOP : new Tracing(tracer);
	}

	/**
	 * Returns tracing that is off: no span is ever built.
	 * @return the shared no-op facade
	 */
	public static Tracing noop() {
		return NOOP;
	}

	/**
	 * Whether spans are started at the moment. An SDK tracer can be switched off and on
	 * while the application runs.
	 * @return {@code false} for the no-op facade or a disabled tracer
	 */
	public boolean isEnabled() {
		return enabledTracer() != null;
	}

	/**
	 * Starts an {@code INTERNAL} span for a block of code and makes it current.
	 * @param spanName the span name, low cardinality (an operation, not an id)
	 * @return the started span, to close when the block ends
	 */
	public TraceContext trace(String spanName) {
		Objects.requireNonNull(spanName, "spanName");
		Tracer tracer = enabledTracer();
		if (tracer == null) {
			return TraceContext.NOOP;
		}
		try {
			return TraceContext.current(this, tracer.spanBuilder(spanName).startSpan());
		}
		catch (RuntimeException ex) {
			failed(ex);
			return TraceContext.NOOP;
		}
	}

	/**
	 * Starts a database client span ({@code CLIENT}) named {@code "{operation} {table}"},
	 * with {@code db.operation.name} and {@code db.collection.name}. The conventions
	 * require {@code db.system.name} as well: prefer
	 * {@link #traceDatabaseOperation(String, String, String)} when the database is known.
	 * @param operation the operation, such as {@code SELECT} or {@code findAndModify}
	 * @param table the table or collection; empty names the span after the operation
	 * alone
	 * @return the started span, to close when the operation ends
	 */
	public TraceContext traceDatabaseOperation(String operation, String table) {
		return database(operation, table, null);
	}

	/**
	 * Starts a database client span ({@code CLIENT}) named {@code "{operation} {table}"},
	 * with {@code db.system.name}, {@code db.operation.name} and
	 * {@code db.collection.name}.
	 * @param operation the operation, such as {@code SELECT} or {@code findAndModify}
	 * @param table the table or collection; empty names the span after the operation
	 * alone
	 * @param system the database, as the conventions name it: {@code postgresql},
	 * {@code mysql}, {@code mongodb}, {@code redis}...
	 * @return the started span, to close when the operation ends
	 */
	public TraceContext traceDatabaseOperation(String operation, String table, String system) {
		Objects.requireNonNull(system, "system");
		return database(operation, table, system);
	}

	private TraceContext database(String operation, String table, @Nullable String system) {
		Objects.requireNonNull(operation, "operation");
		Objects.requireNonNull(table, "table");
		Tracer tracer = enabledTracer();
		if (tracer == null) {
			return TraceContext.NOOP;
		}
		try {
			SpanBuilder builder = target(tracer, operation, table, SpanKind.CLIENT);
			if (system != null) {
				builder.setAttribute(DB_SYSTEM_NAME, system);
			}
			return TraceContext.current(this, builder.startSpan());
		}
		catch (RuntimeException ex) {
			failed(ex);
			return TraceContext.NOOP;
		}
	}

	/**
	 * Starts a span for an operation on an application cache (a Spring {@code Cache},
	 * Caffeine, a cache in Redis...), named {@code "{operation} {cacheName}"}, with
	 * {@code db.operation.name} set to the operation and {@code db.collection.name} to
	 * the cache name.
	 * <p>
	 * OpenTelemetry has no cache conventions yet, so this reuses the closest stable
	 * names: the database ones, which the Redis and Memcached conventions already use for
	 * cache stores (a named cache is the store's "collection"). The span is
	 * {@code INTERNAL}, not {@code CLIENT}: a cache may live in the process, and a remote
	 * store's client library adds its own {@code CLIENT} span with
	 * {@code db.system.name}, which this span leaves out so that it is never counted as a
	 * database call. Record hits with {@code span.attribute("cache.hit", hit)}, the name
	 * the cache proposal uses.
	 * @param operation the operation, such as {@code get}, {@code put} or {@code evict}
	 * @param cacheName the cache name; empty names the span after the operation alone
	 * @return the started span, to close when the operation ends
	 */
	public TraceContext traceCacheOperation(String operation, String cacheName) {
		Objects.requireNonNull(operation, "operation");
		Objects.requireNonNull(cacheName, "cacheName");
		Tracer tracer = enabledTracer();
		if (tracer == null) {
			return TraceContext.NOOP;
		}
		try {
			return TraceContext.current(this, target(tracer, operation, cacheName, SpanKind.INTERNAL).startSpan());
		}
		catch (RuntimeException ex) {
			failed(ex);
			return TraceContext.NOOP;
		}
	}

	/**
	 * The conventions' {@code "{db.operation.name} {target}"} span. Its attributes go on
	 * the builder, not on the started span: the conventions want them at creation, for
	 * samplers.
	 */
	private SpanBuilder target(Tracer tracer, String operation, String target, SpanKind kind) {
		String name = target.isEmpty() ? operation : this.operationSpanNames.of(operation, target);
		SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind).setAttribute(DB_OPERATION_NAME, operation);
		if (!target.isEmpty()) {
			builder.setAttribute(DB_COLLECTION_NAME, target);
		}
		return builder;
	}

	/**
	 * Runs a call in a span, as {@link TraceFunction @TraceFunction} asks: the span is
	 * current during the call; an exception is recorded (status {@code ERROR},
	 * {@code error.type}, an {@code exception} event) and rethrown as the same instance.
	 * When the call returns a {@link CompletionStage}, the span ends when the stage
	 * completes (with an error if it completes exceptionally), without blocking; the
	 * caller gets the very stage that the call returned.
	 * <p>
	 * With tracing off, this is one check before the call, and allocates nothing.
	 * <pre>{@code
	 * // in a method interceptor, with the spec read once per method:
	 * return tracing.invoke(spec, invocation, MethodInvocation::proceed);
	 * }</pre>
	 * @param <T> the type of the target
	 * @param spec the method's spec
	 * @param target what the call works on, passed to {@code call}
	 * @param call the traced work
	 * @return what the call returned
	 * @throws Throwable what the call threw, unchanged
	 */
	public <T> @Nullable Object invoke(FunctionSpec spec, T target, TracedCall<T> call) throws Throwable {
		Tracer tracer = enabledTracer();
		Span span = (tracer != null) ? start(tracer, spec) : null;
		if (span == null) {
			return call.call(target);
		}
		Scope scope = makeCurrent(span);
		Object result;
		try {
			result = call.call(target);
		}
		catch (Throwable ex) {
			close(scope);
			end(span, ex);
			throw ex;
		}
		close(scope);
		if (result instanceof CompletionStage<?> stage) {
			endOnCompletion(span, stage);
		}
		else {
			end(span, null);
		}
		return result;
	}

	private @Nullable Span start(Tracer tracer, FunctionSpec spec) {
		Span span;
		try {
			span = tracer.spanBuilder(spec.spanName()).setSpanKind(spec.kind()).startSpan();
		}
		catch (RuntimeException ex) {
			failed(ex);
			return null;
		}
		try {
			// On the started span, not the builder: a sampled-out call pays nothing
			// for them, but samplers don't see them (see TraceFunction#attributes).
			if (span.isRecording()) {
				spec.setAttributes(span);
			}
		}
		catch (RuntimeException ex) {
			// The span has started: keep it, and end it, even without its attributes.
			failed(ex);
		}
		return span;
	}

	private Scope makeCurrent(Span span) {
		try {
			return span.makeCurrent();
		}
		catch (RuntimeException ex) {
			failed(ex);
			return Scope.noop();
		}
	}

	private void close(Scope scope) {
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	private void endOnCompletion(Span span, CompletionStage<?> stage) {
		try {
			// The returned dependent stage is dropped: the caller keeps the original one.
			stage.whenComplete(new SpanCompletion(this, span));
		}
		catch (RuntimeException ex) {
			// A stage that refuses callbacks: its span ends now rather than never.
			failed(ex);
			end(span, null);
		}
	}

	/**
	 * Ends a span, recording a failure first.
	 * @param span the span
	 * @param failure the failure, or {@code null} for success
	 */
	void end(Span span, @Nullable Throwable failure) {
		try {
			if (failure != null) {
				TraceContext.recordFailure(span, failure);
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
		finally {
			try {
				span.end();
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
		}
	}

	/**
	 * Reports a failure of the tracing machinery; only the first is logged.
	 * @param failure the failure
	 */
	void failed(RuntimeException failure) {
		if (this.failureLogged.compareAndSet(false, true)) {
			logger.warn("Tracing failed; the traced code goes on untraced. Further failures are not logged", failure);
		}
	}

	private @Nullable Tracer enabledTracer() {
		Tracer tracer = this.tracer;
		return (tracer != null && tracer.isEnabled()) ? tracer : null;
	}

	@Override
	public String toString() {
		return (this.tracer != null) ? "Tracing[" + this.tracer + "]" : "Tracing[no-op]";
	}

}
