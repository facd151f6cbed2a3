package dev.observability.benchmarks;

import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.slf4j.LoggerFactory;

/**
 * What Micrometer's {@link LogbackMetrics} (the {@code logback_events_total} counter,
 * which Spring Boot binds whenever Micrometer and Logback are present) adds to a level
 * check that is off: it counts events with a Logback turbo filter, which Logback consults
 * on every {@code isDebugEnabled()} too, so the check no longer ends at an empty filter
 * list. Spring MVC makes about 11 such checks per request at {@code INFO} (counted with a
 * counting turbo filter in the harness app), so this times one and the caller multiplies.
 * <p>
 * The filter sits in Logback's global context, so each configuration needs its own fork:
 * the set-up fails when the context does not hold what the configuration says.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LogLevelCheckBenchmark {

	/** What Logback's context holds. */
	public enum Context {

		/** No turbo filter: Logback's check ends at the empty filter list. */
		PLAIN,

		/** Micrometer's {@code MetricsTurboFilter}, as Boot binds it. */
		LOGBACK_METRICS

	}

	@Param
	public Context context;

	private Logger logger;

	@Setup
	public void bind() {
		LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
		if (this.context == Context.LOGBACK_METRICS) {
			new LogbackMetrics().bindTo(new SimpleMeterRegistry());
		}
		int filters = loggers.getTurboFilterList().size();
		if (filters != ((this.context == Context.LOGBACK_METRICS) ? 1 : 0)) {
			throw new IllegalStateException("Logback's context holds " + filters + " turbo filter(s) under "
					+ this.context + ": each context needs its own fork (run with -f 1 or more)");
		}
		this.logger = loggers.getLogger("org.springframework.web.servlet.DispatcherServlet");
		this.logger.setLevel(Level.INFO);
	}

	/** One level check that is off, as Spring MVC makes before each debug message. */
	@Benchmark
	public boolean debugEnabled() {
		return this.logger.isDebugEnabled();
	}

}
