package dev.observability.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Counts the spans that end and keeps nothing, so that a benchmark measures span creation
 * rather than export. Unlike the SDK's {@code SimpleSpanProcessor}, it does not copy each
 * span into a {@code SpanData} and a one-element batch on the calling thread, a cost no
 * production set-up pays there.
 */
final class DiscardingSpanProcessor implements SpanProcessor {

	private final LongAdder ended = new LongAdder();

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		this.ended.increment();
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	@Override
	public CompletableResultCode shutdown() {
		return CompletableResultCode.ofSuccess();
	}

	long count() {
		return this.ended.sum();
	}

}
