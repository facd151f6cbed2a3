package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.observability.core.http.HttpServerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.jspecify.annotations.Nullable;

/**
 * Cost of recording one request on a known series (route, method, status), as the HTTP
 * filter does after the chain. Target: no allocation. Parameters: the sample rate (1.0
 * records every distribution, 0.1 only a tenth) and whether detailed metrics add a
 * {@code user} and {@code org} to the series; and the registry: Micrometer's simple one,
 * or the Prometheus registry that the starter records to.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HttpServerMetricsBenchmark {

	@Param({ "1.0", "0.1" })
	public double sampleRate;

	/**
	 * {@code off}: no identity tags; {@code anonymous}: identity tags on, a request
	 * without user or org (the most frequent); {@code named}: a user and an org.
	 */
	@Param({ "off", "anonymous", "named" })
	public String identity;

	@Param({ "simple", "prometheus" })
	public String registry;

	private HttpServerMetrics metrics;

	private @Nullable String user;

	private @Nullable String org;

	@Setup
	public void createRecorder() {
		MeterRegistry meters = "prometheus".equals(this.registry)
				? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
		this.metrics = HttpServerMetrics.builder(meters)
			.sampleRate(this.sampleRate)
			.identityTags(!"off".equals(this.identity))
			.build();
		boolean named = "named".equals(this.identity);
		this.user = named ? "alice" : null;
		this.org = named ? "acme" : null;
	}

	@Benchmark
	public void recordKnownSeries() {
		long start = this.metrics.requestStarted();
		boolean sampled = this.metrics.sampleRequest();
		this.metrics.requestFinished(start, sampled, "GET", "/api/movies/{id}", 200, null, -1, 68, this.user, this.org);
	}

}
