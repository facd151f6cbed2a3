package dev.observability.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import dev.observability.core.cardinality.CardinalityLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of rendering a scrape of {@code series} counters, from a registry set up as the
 * starter sets it up (the {@code application} common tag and the cardinality limiter's
 * filter, with budgets that admit every series) and from a plain
 * {@link PrometheusMeterRegistry} holding the same series with the same labels. Target:
 * the starter's scrape at most 1.05 times the plain one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsRenderBenchmark {

	private static final String METRIC = "bench.requests";

	/** Label values per tag: series = routes x statuses. */
	private static final int STATUSES = 10;

	@Param({ "1000", "10000", "100000" })
	public int series;

	private PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private PrometheusMeterRegistry starter = this.plain;

	@Setup
	public void fillRegistries() {
		this.plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		int routes = this.series / STATUSES;
		this.starter = StarterLikeRegistry.create(CardinalityLimiter.builder().maxValuesPerTag(METRIC, routes).build());
		for (int route = 0; route < routes; route++) {
			for (int status = 0; status < STATUSES; status++) {
				count(this.starter, Tags.empty(), route, status);
				// No filter on the plain registry: the same labels, given directly.
				count(this.plain, StarterLikeRegistry.COMMON_TAGS, route, status);
			}
		}
	}

	private static void count(MeterRegistry registry, Tags extra, int route, int status) {
		Counter.builder(METRIC)
			.tags(extra)
			.tags("uri", "/api/route" + route + "/{id}", "status", Integer.toString(200 + status))
			.register(registry)
			.increment(route + status);
	}

	@Benchmark
	public void plainRegistry(Blackhole blackhole) throws IOException {
		this.plain.scrape(new Sink(blackhole));
	}

	@Benchmark
	public void starterRegistry(Blackhole blackhole) throws IOException {
		this.starter.scrape(new Sink(blackhole));
	}

	/** Swallows the scrape, so only rendering is measured. */
	private static final class Sink extends OutputStream {

		private final Blackhole blackhole;

		Sink(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void write(int b) {
			this.blackhole.consume(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.blackhole.consume(length);
		}

	}

}
