package dev.observability.benchmarks;

import dev.observability.core.tracing.Tracing;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link Tracing} a benchmark traces with, one per configuration, on the
 * OpenTelemetry SDK. Spans are root spans (no parent), so the sampler decides each one.
 * No span is exported: sampled spans end in {@link DiscardingSpanProcessor}, which only
 * counts them, so that the figures are those of starting and ending spans. The checks
 * after each iteration and at the end make the run fail if a scope leaked or if the
 * sampler did not do what the configuration says.
 */
@State(Scope.Benchmark)
public class TracingSetup {

	/** How tracing is configured. */
	public enum Config {

		/** {@code Tracing.noop()}: tracing off. */
		OFF,

		/** The SDK with {@code Sampler.alwaysOff()}: every span sampled out. */
		ALWAYS_OFF,

		/**
		 * The SDK with {@code Sampler.traceIdRatioBased(0.1)}: one span in ten sampled.
		 */
		RATIO_0_1,

		/** The SDK with {@code Sampler.alwaysOn()}, ended spans counted and dropped. */
		ALWAYS_ON,

		/**
		 * As {@link #ALWAYS_ON}, but ended spans also go through the SDK's
		 * {@link BatchSpanProcessor} to an exporter that discards them: what a production
		 * set-up pays on the calling thread (a queue offer) and, in B/op, on the export
		 * thread (each span's {@code SpanData}).
		 */
		ALWAYS_ON_BATCH

	}

	@Param
	public Config config;

	Tracing tracing = Tracing.noop();

	private @Nullable SdkTracerProvider provider;

	private final DiscardingSpanProcessor ended = new DiscardingSpanProcessor();

	private final DiscardingSpanExporter exported = new DiscardingSpanExporter();

	@Setup
	public void createTracing() {
		if (this.config == Config.OFF) {
			this.tracing = Tracing.noop();
			return;
		}
		SdkTracerProvider provider = SdkTracerProvider.builder()
			.setSampler(sampler(this.config))
			.addSpanProcessor(processor(this.config))
			.build();
		this.provider = provider;
		this.tracing = Tracing.create(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
	}

	private static Sampler sampler(Config config) {
		return switch (config) {
			case ALWAYS_OFF -> Sampler.alwaysOff();
			case RATIO_0_1 -> Sampler.traceIdRatioBased(0.1);
			default -> Sampler.alwaysOn();
		};
	}

	private SpanProcessor processor(Config config) {
		if (config != Config.ALWAYS_ON_BATCH) {
			return this.ended;
		}
		// The counter comes first, so that spans the batch processor drops are seen.
		return SpanProcessor.composite(this.ended, BatchSpanProcessor.builder(this.exported).build());
	}

	/** Runs on the benchmark thread, after its last call of the iteration. */
	@TearDown(Level.Iteration)
	public void checkNoScopeLeaked() {
		if (Context.current() != Context.root()) {
			throw new IllegalStateException("A scope leaked: the current context is " + Context.current());
		}
	}

	@TearDown
	public void checkSampling() {
		SdkTracerProvider provider = this.provider;
		if (provider == null) {
			return;
		}
		provider.close();
		long ended = this.ended.count();
		boolean sampling = this.config != Config.ALWAYS_OFF;
		if ((ended > 0) != sampling) {
			throw new IllegalStateException(this.config + " ended " + ended + " sampled spans");
		}
		if (this.config == Config.ALWAYS_ON_BATCH) {
			System.out.printf("%n%,d spans ended, %,d exported by the batch processor%n", ended, this.exported.count());
		}
	}

}
