package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.http.HttpServerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * Cost of recording one request on a known series (route, method, status), as the HTTP
 * filter does after the chain. Target: no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HttpServerMetricsBenchmark {

	private final HttpServerMetrics metrics = HttpServerMetrics.builder(new SimpleMeterRegistry()).build();

	@Benchmark
	public void recordKnownSeries() {
		long start = this.metrics.requestStarted();
		this.metrics.requestFinished(start, "GET", "/api/movies/{id}", 200, null, -1, 68);
	}

}
