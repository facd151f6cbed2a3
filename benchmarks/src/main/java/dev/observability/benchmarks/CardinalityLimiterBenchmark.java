package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.cardinality.CardinalityLimiter;
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
 * Cost of the cardinality check. Target: no allocation for a known series.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CardinalityLimiterBenchmark {

	private final CardinalityLimiter limiter = CardinalityLimiter.builder().build();

	private final CardinalityLimiter.TagLimit uris = this.limiter.tagLimit("http.server.requests", "uri");

	private final String[] unknown = new String[1024];

	private int next;

	@Setup
	public void fill() {
		for (int i = 0; i < 100; i++) {
			this.limiter.limit("http.server.requests", "uri", "/route/" + i);
		}
		for (int i = 0; i < this.unknown.length; i++) {
			this.unknown[i] = "/scanner/" + i;
		}
	}

	/** A value already within the budget: the steady state of a healthy service. */
	@Benchmark
	public String knownValue() {
		return this.limiter.limit("http.server.requests", "uri", "/route/42");
	}

	/**
	 * The same through the tag's budget found once ({@code tagLimit}), as the HTTP filter
	 * limits its identity tags.
	 */
	@Benchmark
	public String knownValueThroughTagLimit() {
		return this.uris.limit("/route/42");
	}

	/** A value beyond the budget: folded into __overflow__ and counted. */
	@Benchmark
	public String foldedValue() {
		this.next = (this.next + 1) & 1023;
		return this.limiter.limit("http.server.requests", "uri", this.unknown[this.next]);
	}

}
