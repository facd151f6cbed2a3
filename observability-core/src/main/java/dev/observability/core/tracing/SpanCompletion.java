package dev.observability.core.tracing;

import java.util.function.BiConsumer;

import io.opentelemetry.api.trace.Span;
import org.jspecify.annotations.Nullable;

/**
 * Ends the span of a call that returned a {@code CompletionStage} when the stage
 * completes. A class rather than a lambda so that it has a name in stack traces and heap
 * dumps.
 */
final class SpanCompletion implements BiConsumer<@Nullable Object, @Nullable Throwable> {

	private final Tracing tracing;

	private final Span span;

	SpanCompletion(Tracing tracing, Span span) {
		this.tracing = tracing;
		this.span = span;
	}

	@Override
	public void accept(@Nullable Object result, @Nullable Throwable failure) {
		this.tracing.end(this.span, failure);
	}

}
