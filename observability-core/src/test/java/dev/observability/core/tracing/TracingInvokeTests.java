package dev.observability.core.tracing;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link Tracing#invoke}, the logic behind
 * {@link TraceFunction @TraceFunction}.
 */
final class TracingInvokeTests {

	private final RecordedSpans spans = new RecordedSpans();

	private final Tracing tracing = this.spans.tracing();

	@AfterEach
	void closeProvider() {
		this.spans.close();
	}

	@Test
	void callRunsInACurrentSpanWithTheSpecsNameKindAndAttributes() throws Throwable {
		Object result = this.tracing.invoke(spec("quote"), "cart-1", (cart) -> {
			assertThat(Span.current().getSpanContext().isValid()).isTrue();
			return "quoted " + cart;
		});
		assertThat(result).isEqualTo("quoted cart-1");
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("quote");
		assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("order.channel"))).isEqualTo("web");
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
	}

	@Test
	void nestedCallsGiveParentAndChild() throws Throwable {
		this.tracing.invoke(spec("place"), this.tracing,
				(tracing) -> tracing.invoke(spec("quote"), "cart", (cart) -> cart));
		SpanData child = this.spans.ended().get(0);
		SpanData parent = this.spans.ended().get(1);
		assertThat(child.getName()).isEqualTo("quote");
		assertThat(parent.getName()).isEqualTo("Orders.place");
		assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
		assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
	}

	@Test
	void callInsideATraceBlockIsItsChild() throws Throwable {
		try (TraceContext block = this.tracing.trace("checkout")) {
			this.tracing.invoke(spec("place"), "order", (order) -> order);
		}
		assertThat(this.spans.ended().get(0).getParentSpanId()).isEqualTo(this.spans.ended().get(1).getSpanId());
	}

	@Test
	void exceptionIsRecordedAndRethrownAsTheSameInstance() {
		IllegalStateException failure = new IllegalStateException("out of stock");
		Throwable thrown = catchThrowable(() -> this.tracing.invoke(spec("place"), failure, (ex) -> {
			throw ex;
		}));
		assertThat(thrown).isSameAs(failure);
		SpanData span = this.spans.only();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo("java.lang.IllegalStateException");
		assertThat(span.getEvents()).extracting((event) -> event.getName()).containsExactly("exception");
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
	}

	@Test
	void checkedExceptionsAndErrorsPassThroughUnchanged() {
		Exception checked = new java.io.IOException("disk");
		AssertionError error = new AssertionError("bug");
		assertThat(catchThrowable(() -> this.tracing.invoke(spec("place"), checked, (ex) -> {
			throw ex;
		}))).isSameAs(checked);
		assertThat(catchThrowable(() -> this.tracing.invoke(spec("place"), error, (ex) -> {
			throw ex;
		}))).isSameAs(error);
		assertThat(this.spans.ended()).hasSize(2)
			.allSatisfy((span) -> assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
	}

	@Test
	void hostileExceptionIsStillRethrownAsTheSameInstance() {
		TraceContextTests.HostileException failure = new TraceContextTests.HostileException();
		assertThat(catchThrowable(() -> this.tracing.invoke(spec("place"), failure, (ex) -> {
			throw ex;
		}))).isSameAs(failure);
		assertThat(this.spans.only().hasEnded()).isTrue();
	}

	@Test
	void futureSpanEndsWhenTheFutureCompletesNotWhenTheMethodReturns() throws Throwable {
		CompletableFuture<String> future = new CompletableFuture<>();
		Object returned = this.tracing.invoke(spec("quote"), future, (f) -> f);
		assertThat(returned).isSameAs(future);
		assertThat(this.spans.ended()).isEmpty();
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
		future.complete("42");
		SpanData span = this.spans.only();
		assertThat(span.getName()).isEqualTo("quote");
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
		assertThat(future.join()).isEqualTo("42");
	}

	@Test
	void futureFailingOnAnotherThreadEndsTheSpanWithTheCauseRecorded() throws Throwable {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		CountDownLatch release = new CountDownLatch(1);
		IllegalStateException failure = new IllegalStateException("quote service down");
		try {
			CompletableFuture<?> future = (CompletableFuture<?>) this.tracing.invoke(spec("quote"), executor,
					(pool) -> CompletableFuture.supplyAsync(() -> {
						await(release);
						throw failure;
					}, pool));
			assertThat(this.spans.ended()).isEmpty();
			release.countDown();
			assertThat(catchThrowable(future::join)).hasCause(failure);
			awaitEnded(1);
		}
		finally {
			executor.shutdownNow();
		}
		SpanData span = this.spans.only();
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo("java.lang.IllegalStateException");
		assertThat(span.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("exception.message")))
			.isEqualTo("quote service down");
	}

	@Test
	void futureCompletedExceptionallyEndsTheSpanWithAnError() throws Throwable {
		CompletableFuture<String> future = new CompletableFuture<>();
		this.tracing.invoke(spec("quote"), future, (f) -> f);
		future.completeExceptionally(new IllegalArgumentException("bad cart"));
		assertThat(this.spans.only().getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo("java.lang.IllegalArgumentException");
	}

	@Test
	void cancelledFutureEndsTheSpanAsCancelled() throws Throwable {
		CompletableFuture<String> future = new CompletableFuture<>();
		this.tracing.invoke(spec("quote"), future, (f) -> f);
		future.cancel(false);
		assertThat(this.spans.only().getAttributes().get(AttributeKey.stringKey("error.type")))
			.isEqualTo(CancellationException.class.getName());
	}

	@Test
	void alreadyCompletedFutureEndsTheSpanAtOnce() throws Throwable {
		CompletableFuture<String> done = CompletableFuture.completedFuture("cached");
		assertThat(this.tracing.invoke(spec("quote"), done, (f) -> f)).isSameAs(done);
		assertThat(this.spans.only().getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
	}

	@Test
	void anyCompletionStageIsFollowed() throws Throwable {
		CompletableFuture<String> source = new CompletableFuture<>();
		CompletionStage<String> stage = source.minimalCompletionStage();
		assertThat(this.tracing.invoke(spec("quote"), stage, (s) -> s)).isSameAs(stage);
		assertThat(this.spans.ended()).isEmpty();
		source.complete("done");
		assertThat(this.spans.only().hasEnded()).isTrue();
	}

	@Test
	void nullResultEndsTheSpanAtOnce() throws Throwable {
		assertThat(this.tracing.invoke(spec("quote"), "x", (x) -> null)).isNull();
		assertThat(this.spans.only().hasEnded()).isTrue();
	}

	@Test
	void noopTracingOnlyRunsTheCallWithoutAllocating() throws Throwable {
		Tracing noop = Tracing.noop();
		FunctionSpec spec = spec("place");
		TracedCall<String> call = String::length;
		assertThat(noop.invoke(spec, "four", call)).isEqualTo(4);
		IllegalStateException failure = new IllegalStateException();
		assertThat(catchThrowable(() -> noop.invoke(spec, failure, (ex) -> {
			throw ex;
		}))).isSameAs(failure);
		TracedCall<Tracing> identity = TracingInvokeTests::self;
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		for (int i = 0; i < 20_000; i++) {
			noop.invoke(spec, noop, identity);
		}
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < 100_000; i++) {
			noop.invoke(spec, noop, identity);
		}
		assertThat(threads.getThreadAllocatedBytes(thread) - before).isLessThan(64 * 1024);
	}

	@Test
	void brokenTracerRunsTheCallUntraced() throws Throwable {
		Tracing broken = Tracing.create(new io.opentelemetry.api.trace.Tracer() {

			@Override
			public io.opentelemetry.api.trace.SpanBuilder spanBuilder(String spanName) {
				throw new IllegalStateException("broken tracer");
			}

		});
		assertThat(broken.invoke(spec("place"), "x", (x) -> x + "!")).isEqualTo("x!");
		IllegalArgumentException failure = new IllegalArgumentException();
		assertThat(catchThrowable(() -> broken.invoke(spec("place"), failure, (ex) -> {
			throw ex;
		}))).isSameAs(failure);
	}

	@Test
	void stageThatRefusesCallbacksEndsTheSpanAtOnce() throws Throwable {
		CompletableFuture<String> refusing = new CompletableFuture<>() {

			@Override
			public CompletableFuture<String> whenComplete(
					java.util.function.BiConsumer<? super String, ? super Throwable> action) {
				throw new UnsupportedOperationException("no callbacks");
			}

		};
		assertThat(this.tracing.invoke(spec("quote"), refusing, (f) -> f)).isSameAs(refusing);
		assertThat(this.spans.only().hasEnded()).isTrue();
	}

	private static Tracing self(Tracing tracing) {
		return tracing;
	}

	private void awaitEnded(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.spans.ended().size() < count && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static FunctionSpec spec(String methodName) throws NoSuchMethodException {
		Method method = Orders.class.getMethod(methodName);
		return FunctionSpec.of(method.getAnnotation(TraceFunction.class), Orders.class, method);
	}

	static class Orders {

		@TraceFunction
		public void place() {
		}

		@TraceFunction(spanName = "quote", kind = SpanKind.CLIENT, attributes = "order.channel=web")
		public void quote() {
		}

	}

}
