package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.cardinality.CardinalityLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the usual Micrometer idiom,
 * {@code Counter.builder(...).tag(...).register(registry)} on every call, on a Prometheus
 * registry with the starter's {@code application} tag and the cardinality limiter's meter
 * filter:
 * <ul>
 * <li>{@code knownValue}: a {@code user} within the budget, whose meter exists;</li>
 * <li>{@code foldedValue}: one of 1,024 users past the budget, cycled, each folded into
 * the {@code __overflow__} meter: what every call costs while a flood of new values
 * lasts, since Micrometer keeps no shortcut for an id that maps to an existing
 * meter.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class FoldedRegistrationBenchmark {

	private static final String METRIC = "bench.logins";

	private static final int BUDGET = 10;

	private final String[] pastBudget = new String[1024];

	private PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private int next;

	@Setup
	public void fillBudget() {
		this.registry = StarterLikeRegistry
			.create(CardinalityLimiter.builder().maxValuesPerTag(METRIC, BUDGET).build());
		for (int i = 0; i < BUDGET; i++) {
			login("user-" + i).increment();
		}
		for (int i = 0; i < this.pastBudget.length; i++) {
			this.pastBudget[i] = "scanner-" + i;
		}
	}

	@Benchmark
	public Counter knownValue() {
		Counter counter = login("user-3");
		counter.increment();
		return counter;
	}

	@Benchmark
	public Counter foldedValue() {
		this.next = (this.next + 1) & (this.pastBudget.length - 1);
		Counter counter = login(this.pastBudget[this.next]);
		counter.increment();
		return counter;
	}

	private Counter login(String user) {
		return Counter.builder(METRIC).tag("user", user).tag("outcome", "success").register(this.registry);
	}

}
