package dev.observability.core.tracing;

import java.util.Objects;
import java.util.concurrent.CompletionException;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.jspecify.annotations.Nullable;

/**
 * A started span, current on this thread until {@link #close()}: a code block's span from
 * {@link Tracing}. Use it in a try-with-resources statement on one thread: <pre>{@code
 * try (TraceContext span = tracing.trace("reprice-basket")) {
 *     span.attribute("basket.items", basket.size());
 *     try {
 *         return repricer.reprice(basket);
 *     }
 *     catch (PricingException ex) {
 *         span.recordException(ex);
 *         throw ex;
 *     }
 * }
 * }</pre> Setters return {@code this} and never throw for a value; a {@code null} string
 * value is skipped. With tracing off, every {@code Tracing} method returns one shared
 * no-op instance, whose methods do nothing and allocate nothing.
 */
public final class TraceContext implements AutoCloseable {

	/**
	 * The semantic-convention attribute of the class of error an operation ended with.
	 */
	static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	static final TraceContext NOOP = new TraceContext(Tracing.noop(), null, null);

	/** Where a failure of the tracing machinery is reported. */
	private final Tracing tracing;

	private final @Nullable Span span;

	private final @Nullable Scope scope;

	private boolean closed;

	private TraceContext(Tracing tracing, @Nullable Span span, @Nullable Scope scope) {
		this.tracing = tracing;
		this.span = span;
		this.scope = scope;
	}

	/**
	 * Makes a started span current and wraps it; ends the span if that fails.
	 * @param tracing where failures are reported
	 * @param span the started span
	 * @return the context
	 */
	static TraceContext current(Tracing tracing, Span span) {
		try {
			return new TraceContext(tracing, span, span.makeCurrent());
		}
		catch (RuntimeException ex) {
			span.end();
			throw ex;
		}
	}

	/**
	 * Sets a string attribute.
	 * @param key the attribute key, for example {@code "order.channel"}
	 * @param value the value; {@code null} sets nothing
	 * @return this context
	 */
	public TraceContext attribute(String key, @Nullable String value) {
		Objects.requireNonNull(key, "key");
		if (this.span != null && value != null) {
			this.span.setAttribute(key, value);
		}
		return this;
	}

	/**
	 * Sets a long attribute.
	 * @param key the attribute key
	 * @param value the value
	 * @return this context
	 */
	public TraceContext attribute(String key, long value) {
		Objects.requireNonNull(key, "key");
		if (this.span != null) {
			this.span.setAttribute(key, value);
		}
		return this;
	}

	/**
	 * Sets a double attribute.
	 * @param key the attribute key
	 * @param value the value
	 * @return this context
	 */
	public TraceContext attribute(String key, double value) {
		Objects.requireNonNull(key, "key");
		if (this.span != null) {
			this.span.setAttribute(key, value);
		}
		return this;
	}

	/**
	 * Sets a boolean attribute, such as {@code cache.hit} on a cache span.
	 * @param key the attribute key
	 * @param value the value
	 * @return this context
	 */
	public TraceContext attribute(String key, boolean value) {
		Objects.requireNonNull(key, "key");
		if (this.span != null) {
			this.span.setAttribute(key, value);
		}
		return this;
	}

	/**
	 * Records a failure: an {@code exception} event, status {@code ERROR} and
	 * {@code error.type} set to the exception's class name. A {@code CompletionException}
	 * is unwrapped to its cause.
	 * @param exception the failure; {@code null} records nothing
	 * @return this context
	 */
	public TraceContext recordException(@Nullable Throwable exception) {
		if (this.span != null && exception != null) {
			try {
				recordFailure(this.span, exception);
			}
			catch (RuntimeException ex) {
				this.tracing.failed(ex);
			}
		}
		return this;
	}

	/**
	 * Marks the span as failed without an exception: status {@code ERROR} and
	 * {@code error.type} set to a low-cardinality type such as {@code timeout} or
	 * {@code 503}.
	 * @param type the class of error
	 * @return this context
	 */
	public TraceContext error(String type) {
		Objects.requireNonNull(type, "type");
		if (this.span != null) {
			this.span.setStatus(StatusCode.ERROR);
			this.span.setAttribute(ERROR_TYPE, type);
		}
		return this;
	}

	/**
	 * Whether the span records what is set on it: {@code false} with tracing off or for a
	 * span that the sampler dropped. Worth checking before computing an expensive
	 * attribute value.
	 * @return whether setters have an effect
	 */
	public boolean isRecording() {
		return this.span != null && this.span.isRecording();
	}

	/**
	 * Returns the OpenTelemetry span, for what this class does not offer (events, links).
	 * @return the span; an invalid, non-recording span when tracing is off
	 */
	public Span span() {
		return (this.span != null) ? this.span : Span.getInvalid();
	}

	/**
	 * Ends the span and restores the context that was current before it. Closing again
	 * does nothing.
	 */
	@Override
	public void close() {
		if (this.span == null || this.closed) {
			return;
		}
		this.closed = true;
		if (this.scope != null) {
			this.scope.close();
		}
		this.span.end();
	}

	/**
	 * Records a failure on a span. The exception's own methods ({@code getMessage},
	 * {@code printStackTrace}) run here, so this guards against them.
	 * @param span the span
	 * @param exception the failure
	 */
	static void recordFailure(Span span, Throwable exception) {
		Throwable failure = unwrap(exception);
		span.setStatus(StatusCode.ERROR);
		span.setAttribute(ERROR_TYPE, failure.getClass().getName());
		span.recordException(failure);
	}

	private static Throwable unwrap(Throwable exception) {
		Throwable cause = exception.getCause();
		return (exception instanceof CompletionException && cause != null) ? cause : exception;
	}

	@Override
	public String toString() {
		return (this.span != null) ? "TraceContext[" + this.span.getSpanContext() + "]" : "TraceContext[no-op]";
	}

}
