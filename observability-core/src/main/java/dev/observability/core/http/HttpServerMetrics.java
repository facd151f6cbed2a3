package dev.observability.core.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records HTTP server requests into the meters of {@link HttpServerMeters}: one
 * instrumentation point per request, meters cached per route, method and status so that a
 * request for a known series allocates nothing.
 * <p>
 * Usage from a servlet filter or any other server hook: <pre>{@code
 * HttpServerMetrics metrics = HttpServerMetrics.builder(registry).build();
 * long start = metrics.requestStarted();
 * // ... handle the request ...
 * metrics.requestFinished(start, "GET", "/api/movies/{id}", 200, null, -1, 512);
 * }</pre> Neither method ever throws: a failure to record is logged once and the request
 * goes on.
 */
public final class HttpServerMetrics {

	private static final InternalLogger logger = InternalLoggerFactory.getInstance(HttpServerMetrics.class);

	private static final String[] KNOWN_METHODS = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE" };

	private static final String UNKNOWN_METHOD = "UNKNOWN";

	private static final String NO_EXCEPTION = "none";

	private final MeterRegistry registry;

	private final Clock clock;

	private final Duration[] latencyBuckets;

	private final double[] sizeBuckets;

	private final AtomicLong active = new AtomicLong();

	private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	private HttpServerMetrics(Builder builder) {
		this.registry = builder.registry;
		this.clock = builder.registry.config().clock();
		this.latencyBuckets = builder.latencyBuckets.clone();
		this.sizeBuckets = builder.sizeBuckets.clone();
		Gauge.builder(HttpServerMeters.ACTIVE_REQUESTS.getName(), this.active, AtomicLong::get)
			.description("Number of HTTP server requests in flight")
			.register(this.registry);
	}

	/**
	 * Starts a builder for the given registry.
	 * @param registry where the meters are registered
	 * @return a builder with the default buckets
	 */
	public static Builder builder(MeterRegistry registry) {
		return new Builder(registry);
	}

	/**
	 * Marks a request as started.
	 * @return the start time to hand to {@link #requestFinished}
	 */
	public long requestStarted() {
		this.active.incrementAndGet();
		return this.clock.monotonicTime();
	}

	/**
	 * Records a finished request.
	 * @param startTime the value {@link #requestStarted()} returned
	 * @param method the request method
	 * @param uri the route template, or the normalized path of a request that matched no
	 * route; the caller keeps it bounded (the starter passes unmatched paths through a
	 * {@code CardinalityLimiter} first), since meters are cached per value
	 * @param status the response status
	 * @param exception the simple class name of the exception that ended the request, or
	 * {@code null}
	 * @param requestBytes the request body size, or a negative value when unknown
	 * @param responseBytes the response body size, or a negative value when unknown
	 */
	public void requestFinished(long startTime, String method, String uri, int status, @Nullable String exception,
			long requestBytes, long responseBytes) {
		this.active.decrementAndGet();
		try {
			long duration = this.clock.monotonicTime() - startTime;
			MethodMeters meters = route(uri).forMethod(method);
			if (exception == null) {
				meters.timer(status).record(duration, TimeUnit.NANOSECONDS);
			}
			else {
				meters.errorTimer(status, exception).record(duration, TimeUnit.NANOSECONDS);
				meters.exceptionCounter(exception).increment();
			}
			if (requestBytes >= 0) {
				meters.requestSize.record(requestBytes);
			}
			if (responseBytes >= 0) {
				meters.responseSize.record(responseBytes);
			}
		}
		catch (RuntimeException ex) {
			if (this.failureLogged.compareAndSet(false, true)) {
				logger.warn("Failed to record HTTP server metrics; further failures are not logged", ex);
			}
		}
	}

	/**
	 * Returns the number of requests in flight.
	 * @return requests started and not yet finished
	 */
	public long activeRequests() {
		return this.active.get();
	}

	private RouteMeters route(String uri) {
		RouteMeters meters = this.routes.get(uri);
		return (meters != null) ? meters : this.routes.computeIfAbsent(uri, RouteMeters::new);
	}

	private static String knownMethod(String method) {
		for (String known : KNOWN_METHODS) {
			if (known.equals(method)) {
				return known;
			}
		}
		return UNKNOWN_METHOD;
	}

	private final class RouteMeters {

		private final String uri;

		private final ConcurrentHashMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>(4);

		RouteMeters(String uri) {
			this.uri = uri;
		}

		MethodMeters forMethod(String method) {
			MethodMeters meters = this.byMethod.get(method);
			if (meters != null) {
				return meters;
			}
			// Unknown methods share one entry so a client cannot grow this map.
			String known = knownMethod(method);
			meters = this.byMethod.get(known);
			if (meters == null) {
				meters = this.byMethod.computeIfAbsent(known, (name) -> new MethodMeters(this.uri, name));
			}
			return meters;
		}

	}

	private final class MethodMeters {

		private final String uri;

		private final String method;

		private final DistributionSummary requestSize;

		private final DistributionSummary responseSize;

		/** Copy-on-write: a route sees a handful of statuses, so a scan beats a map. */
		private volatile StatusTimer[] timers = new StatusTimer[0];

		private final ConcurrentHashMap<String, Timer> errorTimers = new ConcurrentHashMap<>(2);

		private final ConcurrentHashMap<String, Counter> exceptions = new ConcurrentHashMap<>(2);

		MethodMeters(String uri, String method) {
			this.uri = uri;
			this.method = method;
			this.requestSize = sizeSummary(HttpServerMeters.REQUEST_SIZE, "Size of HTTP request bodies");
			this.responseSize = sizeSummary(HttpServerMeters.RESPONSE_SIZE, "Size of HTTP response bodies");
		}

		Timer timer(int status) {
			StatusTimer[] current = this.timers;
			for (StatusTimer candidate : current) {
				if (candidate.status == status) {
					return candidate.timer;
				}
			}
			return addTimer(status);
		}

		private synchronized Timer addTimer(int status) {
			for (StatusTimer candidate : this.timers) {
				if (candidate.status == status) {
					return candidate.timer;
				}
			}
			Timer timer = requestTimer(status, NO_EXCEPTION);
			StatusTimer[] grown = Arrays.copyOf(this.timers, this.timers.length + 1);
			grown[grown.length - 1] = new StatusTimer(status, timer);
			this.timers = grown;
			return timer;
		}

		Timer errorTimer(int status, String exception) {
			// Error path: a key string per call is acceptable here.
			return this.errorTimers.computeIfAbsent(status + " " + exception, (key) -> requestTimer(status, exception));
		}

		Counter exceptionCounter(String exception) {
			return this.exceptions.computeIfAbsent(exception,
					(name) -> Counter.builder(HttpServerMeters.EXCEPTIONS.getName())
						.description("Exceptions that ended HTTP server requests")
						.tags("method", this.method, "uri", this.uri, "exception", name)
						.register(HttpServerMetrics.this.registry));
		}

		private Timer requestTimer(int status, String exception) {
			return Timer.builder(HttpServerMeters.REQUESTS.getName())
				.description("Duration of HTTP server requests")
				.tags("method", this.method, "uri", this.uri, "status", Integer.toString(status), "outcome",
						HttpOutcome.of(status), "exception", exception)
				.serviceLevelObjectives(HttpServerMetrics.this.latencyBuckets)
				.register(HttpServerMetrics.this.registry);
		}

		private DistributionSummary sizeSummary(HttpServerMeters meter, String description) {
			return DistributionSummary.builder(meter.getName())
				.description(description)
				.baseUnit(meter.getBaseUnit())
				.tags("method", this.method, "uri", this.uri)
				.serviceLevelObjectives(HttpServerMetrics.this.sizeBuckets)
				.register(HttpServerMetrics.this.registry);
		}

	}

	private record StatusTimer(int status, Timer timer) {
	}

	/**
	 * Builds {@link HttpServerMetrics}.
	 */
	public static final class Builder {

		/**
		 * Prometheus' classic latency buckets: wide enough for p50/p95/p99, few series.
		 */
		private static final Duration[] DEFAULT_LATENCY_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10),
				Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
				Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
				Duration.ofSeconds(10) };

		private static final double[] DEFAULT_SIZE_BUCKETS = { 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000 };

		private final MeterRegistry registry;

		private Duration[] latencyBuckets = DEFAULT_LATENCY_BUCKETS;

		private double[] sizeBuckets = DEFAULT_SIZE_BUCKETS;

		private Builder(MeterRegistry registry) {
			this.registry = Objects.requireNonNull(registry, "registry must not be null");
		}

		/**
		 * Sets the latency histogram's bucket boundaries.
		 * @param buckets positive, strictly increasing durations
		 * @return this builder
		 * @throws IllegalArgumentException if {@code buckets} is empty, not positive or
		 * not increasing
		 */
		public Builder latencyBuckets(Duration... buckets) {
			long[] nanos = new long[buckets.length];
			for (int i = 0; i < buckets.length; i++) {
				nanos[i] = Objects.requireNonNull(buckets[i], "latency bucket must not be null").toNanos();
			}
			checkIncreasing("latencyBuckets", Arrays.stream(nanos).asDoubleStream().toArray());
			this.latencyBuckets = buckets.clone();
			return this;
		}

		/**
		 * Sets the size distributions' bucket boundaries, in bytes.
		 * @param buckets positive, strictly increasing sizes
		 * @return this builder
		 * @throws IllegalArgumentException if {@code buckets} is empty, not positive or
		 * not increasing
		 */
		public Builder sizeBuckets(double... buckets) {
			checkIncreasing("sizeBuckets", buckets);
			this.sizeBuckets = buckets.clone();
			return this;
		}

		private static void checkIncreasing(String name, double[] values) {
			if (values.length == 0) {
				throw new IllegalArgumentException(name + " must not be empty");
			}
			double previous = 0;
			for (double value : values) {
				if (!(value > previous)) {
					throw new IllegalArgumentException(
							name + " must be positive and strictly increasing, got " + Arrays.toString(values));
				}
				previous = value;
			}
		}

		/**
		 * Registers the in-flight gauge and returns the recorder.
		 * @return a new recorder
		 */
		public HttpServerMetrics build() {
			return new HttpServerMetrics(this);
		}

	}

}
