package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.cardinality.CardinalityLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of a series the cardinality limiter has not seen yet, within its budget: the other
 * half of {@link CardinalityLimiterBenchmark}, which measures known and folded values. A
 * new value is admitted only once, so each invocation starts from an empty limiter (and
 * registry) made in its set-up, whose time is left out, and admits {@value #SERIES}
 * distinct values; the figures are per value.
 * <ul>
 * <li>{@code admitNewValue}: the budget's own work, {@code limit()} on a value it has not
 * seen, as the HTTP filter does for an unmatched path;</li>
 * <li>{@code registerNewSeries}: a counter with a new {@code uri} registered on the
 * Prometheus registry, through the limiter's meter filter ({@code limiter=true}) or
 * without it, so the difference is what the limiter adds to a new series.</li>
 * </ul>
 * The set-up's allocation is not left out of B/op: the {@code *SetUpOnly} benchmarks run
 * the same set-up and do nothing else, so their B/op is what to subtract.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class NewSeriesBenchmark {

	static final int SERIES = 1024;

	private static final String METRIC = "bench.requests";

	private static final String[] URIS = new String[SERIES];

	static {
		for (int i = 0; i < SERIES; i++) {
			URIS[i] = "/api/route" + i + "/{id}";
		}
	}

	@Benchmark
	@OperationsPerInvocation(SERIES)
	public void admitNewValue(EmptyBudget state, Blackhole blackhole) {
		for (String uri : URIS) {
			blackhole.consume(state.budget.limit(uri));
		}
	}

	@Benchmark
	@OperationsPerInvocation(SERIES)
	public void admitNewValueSetUpOnly(EmptyBudget state, Blackhole blackhole) {
		blackhole.consume(state.budget);
	}

	@Benchmark
	@OperationsPerInvocation(SERIES)
	public void registerNewSeries(EmptyRegistry state, Blackhole blackhole) {
		for (String uri : URIS) {
			blackhole.consume(Counter.builder(METRIC).tags("uri", uri, "status", "200").register(state.registry));
		}
	}

	@Benchmark
	@OperationsPerInvocation(SERIES)
	public void registerNewSeriesSetUpOnly(EmptyRegistry state, Blackhole blackhole) {
		blackhole.consume(state.registry);
	}

	/** A budget for {@code uri} with room for every value and none admitted yet. */
	@State(Scope.Thread)
	public static class EmptyBudget {

		CardinalityLimiter.TagLimit budget = emptyBudget();

		@Setup(Level.Invocation)
		public void empty() {
			this.budget = emptyBudget();
		}

		private static CardinalityLimiter.TagLimit emptyBudget() {
			return CardinalityLimiter.builder().maxValuesPerTag(METRIC, SERIES).build().tagLimit(METRIC, "uri");
		}

	}

	/**
	 * A Prometheus registry with the starter's {@code application} tag and, when
	 * {@code limiter} is true, the limiter's meter filter with room for every value.
	 */
	@State(Scope.Thread)
	public static class EmptyRegistry {

		@Param({ "true", "false" })
		public boolean limiter;

		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

		@Setup(Level.Invocation)
		public void empty() {
			this.registry = StarterLikeRegistry
				.create(this.limiter ? CardinalityLimiter.builder().maxValuesPerTag(METRIC, SERIES).build() : null);
		}

	}

}
