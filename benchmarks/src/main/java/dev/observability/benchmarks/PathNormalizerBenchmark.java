package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.normalization.PathNormalizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of normalizing one unmatched request path. Target: at most 100 ns for a typical
 * path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PathNormalizerBenchmark {

	@Param({ "/api/users/123/orders", "/items/550e8400-e29b-41d4-a716-446655440000?x=1", "/api/movies",
			"/a/b/c/d/e/f/g/h/i/j", "/users/jane.doe@example.com", "/reports/2024-01-31/summary" })
	public String path;

	private final PathNormalizer normalizer = PathNormalizer.create();

	@Benchmark
	public String normalize() {
		return this.normalizer.normalize(this.path);
	}

}
