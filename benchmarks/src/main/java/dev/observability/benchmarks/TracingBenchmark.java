package dev.observability.benchmarks;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

import dev.observability.core.tracing.FunctionSpec;
import dev.observability.core.tracing.TraceContext;
import dev.observability.core.tracing.TraceFunction;
import dev.observability.core.tracing.TracedCall;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of tracing one call of a small function, against calling it directly: through
 * {@code Tracing.invoke}, as the starter's interceptor runs a method annotated with
 * {@link TraceFunction}, and inside a {@code traceDatabaseOperation} try-with-resources
 * block. {@link TracingSetup} gives the configurations, from tracing off to every span
 * sampled. Target: none in the issue beyond "with tracing off they cost next to nothing".
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TracingBenchmark {

	/** As the interceptor does: one non-capturing method reference for every call. */
	private static final TracedCall<OrderService> STATUS = OrderService::status;

	/** The function without tracing: the baseline. */
	@Benchmark
	public String directCall(TracedFunction function) {
		return function.service.status();
	}

	/** What the starter's interceptor runs for a {@code @TraceFunction} method. */
	@Benchmark
	public @Nullable Object tracedFunction(TracingSetup setup, TracedFunction function) throws Throwable {
		return setup.tracing.invoke(function.spec, function.service, STATUS);
	}

	/** A database client span around the same function. */
	@Benchmark
	public String databaseOperation(TracingSetup setup, TracedFunction function) {
		try (TraceContext span = setup.tracing.traceDatabaseOperation("SELECT", "orders", "postgresql")) {
			return function.service.status();
		}
	}

	/**
	 * The traced function and its spec, read once from the annotation as the interceptor
	 * reads it.
	 */
	@State(Scope.Thread)
	public static class TracedFunction {

		final OrderService service = new OrderService();

		final FunctionSpec spec = spec();

		private static FunctionSpec spec() {
			try {
				Method status = OrderService.class.getMethod("status");
				return FunctionSpec.of(status.getAnnotation(TraceFunction.class), OrderService.class, status);
			}
			catch (NoSuchMethodException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A business bean with a cheap traced method: it returns one of a few existing
	 * strings, so that it allocates nothing and the JIT cannot fold it away.
	 */
	public static class OrderService {

		private final String[] statuses = { "NEW", "PAID", "SHIPPED", "DELIVERED" };

		private int next;

		@TraceFunction(attributes = "order.channel=web")
		public String status() {
			this.next = (this.next + 1) & 3;
			return this.statuses[this.next];
		}

	}

}
