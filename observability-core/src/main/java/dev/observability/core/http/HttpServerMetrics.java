package dev.observability.core.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.observability.core.sampling.RateSampler;
import io.micrometer.common.util.internal.logging.InternalLogger;
import io.micrometer.common.util.internal.logging.InternalLoggerFactory;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
 * <p>
 * With a {@linkplain Builder#sampleRate sample rate} below 1, counts stay exact and only
 * the distributions are sampled: {@code http.server.requests} then records every request
 * without buckets (exact count, sum and max), the latency histogram moves to
 * {@code http.server.requests.sampled}, and the size distributions see sampled requests
 * only. A Prometheus histogram's {@code +Inf} bucket must equal its {@code _count}, so
 * one family cannot have exact counts and sampled buckets.
 * <p>
 * With {@linkplain Builder#identityTags identity tags}, every meter with a {@code uri}
 * also carries {@code user} and {@code org} ({@code none} when absent), so that all
 * series of a name have the same tag keys.
 */
public final class HttpServerMetrics {

	private static final InternalLogger logger = InternalLoggerFactory.getInstance(HttpServerMetrics.class);

	private static final String[] KNOWN_METHODS = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE" };

	private static final String UNKNOWN_METHOD = "UNKNOWN";

	/** Spring's value for "no exception", and ours for an absent user or org. */
	private static final String NONE = "none";

	private final MeterRegistry registry;

	private final Clock clock;

	private final Duration[] latencyBuckets;

	private final double[] sizeBuckets;

	private final RateSampler sampler;

	private final boolean identityTags;

	private final AtomicLong active = new AtomicLong();

	private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	private HttpServerMetrics(Builder builder) {
		this.registry = builder.registry;
		this.clock = builder.registry.config().clock();
		this.latencyBuckets = builder.latencyBuckets.clone();
		this.sizeBuckets = builder.sizeBuckets.clone();
		this.sampler = builder.sampler;
		this.identityTags = builder.identityTags;
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
	 * Decides whether a request's distributions are recorded; call it once per request.
	 * Callers may skip work that only feeds the distributions (counting response bytes)
	 * for requests that are not sampled.
	 * @return {@code true} if the request is sampled, always so at a rate of 1
	 */
	public boolean sampleRequest() {
		return this.sampler.sample();
	}

	/**
	 * Records a finished, sampled request without identity.
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
		requestFinished(startTime, true, method, uri, status, exception, requestBytes, responseBytes, null, null);
	}

	/**
	 * Records a finished request.
	 * @param startTime the value {@link #requestStarted()} returned
	 * @param sampled what {@link #sampleRequest()} decided for this request: when
	 * {@code false} only the exact counts are recorded
	 * @param method the request method
	 * @param uri the route template, or the normalized path of a request that matched no
	 * route; the caller keeps it bounded, since meters are cached per value
	 * @param status the response status
	 * @param exception the simple class name of the exception that ended the request, or
	 * {@code null}
	 * @param requestBytes the request body size, or a negative value when unknown
	 * @param responseBytes the response body size, or a negative value when unknown
	 * @param user the authenticated user, or {@code null}; ignored without identity tags,
	 * otherwise kept bounded by the caller like {@code uri}
	 * @param org the user's organisation, or {@code null}; as {@code user}
	 */
	public void requestFinished(long startTime, boolean sampled, String method, String uri, int status,
			@Nullable String exception, long requestBytes, long responseBytes, @Nullable String user,
			@Nullable String org) {
		this.active.decrementAndGet();
		try {
			long duration = this.clock.monotonicTime() - startTime;
			SeriesMeters series = route(uri).forMethod(method).forIdentity(user, org);
			StatusTimers timers = (exception != null) ? series.errorTimers(status, exception) : series.timers(status);
			timers.all.record(duration, TimeUnit.NANOSECONDS);
			if (exception != null) {
				series.exceptionCounter(exception).increment();
			}
			if (!sampled) {
				return;
			}
			if (timers.sampled != null) {
				timers.sampled.record(duration, TimeUnit.NANOSECONDS);
			}
			if (requestBytes >= 0) {
				series.requestSize.record(requestBytes);
			}
			if (responseBytes >= 0) {
				series.responseSize.record(responseBytes);
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

	/** The meters of one route and method, per identity when identity tags are on. */
	private final class MethodMeters {

		private final Tags tags;

		private final @Nullable SeriesMeters withoutIdentity;

		/** User, then org; both bounded by the caller. */
		private final ConcurrentHashMap<String, ConcurrentHashMap<String, SeriesMeters>> byIdentity = new ConcurrentHashMap<>(
				2);

		/**
		 * The series of requests without identity, the most frequent, kept aside so that
		 * they skip both maps. Set at most a few times, always to the series the maps
		 * hold; volatile, as that series is published through it.
		 */
		private volatile @Nullable SeriesMeters anonymous;

		MethodMeters(String uri, String method) {
			this.tags = Tags.of("method", method, "uri", uri);
			this.withoutIdentity = HttpServerMetrics.this.identityTags ? null : new SeriesMeters(this.tags);
		}

		SeriesMeters forIdentity(@Nullable String user, @Nullable String org) {
			if (this.withoutIdentity != null) {
				return this.withoutIdentity;
			}
			String userValue = (user != null) ? user : NONE;
			String orgValue = (org != null) ? org : NONE;
			boolean anonymous = NONE.equals(userValue) && NONE.equals(orgValue);
			if (anonymous) {
				SeriesMeters known = this.anonymous;
				if (known != null) {
					return known;
				}
			}
			ConcurrentHashMap<String, SeriesMeters> byOrg = this.byIdentity.get(userValue);
			if (byOrg == null) {
				byOrg = this.byIdentity.computeIfAbsent(userValue, (key) -> new ConcurrentHashMap<>(2));
			}
			SeriesMeters series = byOrg.get(orgValue);
			if (series == null) {
				series = byOrg.computeIfAbsent(orgValue,
						(key) -> new SeriesMeters(this.tags.and("user", userValue, "org", key)));
			}
			if (anonymous) {
				this.anonymous = series;
			}
			return series;
		}

	}

	/** The meters of one route, method and identity. */
	private final class SeriesMeters {

		private final Tags tags;

		private final DistributionSummary requestSize;

		private final DistributionSummary responseSize;

		/** Copy-on-write: a route sees a handful of statuses, so a scan beats a map. */
		private volatile StatusTimers[] timers = new StatusTimers[0];

		private final ConcurrentHashMap<String, StatusTimers> errorTimers = new ConcurrentHashMap<>(2);

		private final ConcurrentHashMap<String, Counter> exceptions = new ConcurrentHashMap<>(2);

		SeriesMeters(Tags tags) {
			this.tags = tags;
			this.requestSize = sizeSummary(HttpServerMeters.REQUEST_SIZE, "Size of HTTP request bodies");
			this.responseSize = sizeSummary(HttpServerMeters.RESPONSE_SIZE, "Size of HTTP response bodies");
		}

		StatusTimers timers(int status) {
			StatusTimers[] current = this.timers;
			for (StatusTimers candidate : current) {
				if (candidate.status == status) {
					return candidate;
				}
			}
			return addTimers(status);
		}

		private synchronized StatusTimers addTimers(int status) {
			for (StatusTimers candidate : this.timers) {
				if (candidate.status == status) {
					return candidate;
				}
			}
			StatusTimers added = statusTimers(status, NONE);
			StatusTimers[] grown = Arrays.copyOf(this.timers, this.timers.length + 1);
			grown[grown.length - 1] = added;
			this.timers = grown;
			return added;
		}

		StatusTimers errorTimers(int status, String exception) {
			// Error path: a key string per call is acceptable here.
			return this.errorTimers.computeIfAbsent(status + " " + exception, (key) -> statusTimers(status, exception));
		}

		Counter exceptionCounter(String exception) {
			return this.exceptions.computeIfAbsent(exception,
					(name) -> Counter.builder(HttpServerMeters.EXCEPTIONS.getName())
						.description("Exceptions that ended HTTP server requests")
						.tags(this.tags)
						.tag("exception", name)
						.register(HttpServerMetrics.this.registry));
		}

		private StatusTimers statusTimers(int status, String exception) {
			Tags timerTags = this.tags.and("status", Integer.toString(status), "outcome", HttpOutcome.of(status),
					"exception", exception);
			if (HttpServerMetrics.this.sampler.samplesAll()) {
				return new StatusTimers(status, timer(HttpServerMeters.REQUESTS, timerTags, true), null);
			}
			return new StatusTimers(status, timer(HttpServerMeters.REQUESTS, timerTags, false),
					timer(HttpServerMeters.SAMPLED_REQUESTS, timerTags, true));
		}

		private Timer timer(HttpServerMeters meter, Tags timerTags, boolean buckets) {
			Timer.Builder builder = Timer.builder(meter.getName())
				.description((meter == HttpServerMeters.REQUESTS) ? "Duration of HTTP server requests"
						: "Duration of sampled HTTP server requests")
				.tags(timerTags);
			if (buckets) {
				builder.serviceLevelObjectives(HttpServerMetrics.this.latencyBuckets);
			}
			return builder.register(HttpServerMetrics.this.registry);
		}

		private DistributionSummary sizeSummary(HttpServerMeters meter, String description) {
			return DistributionSummary.builder(meter.getName())
				.description(description)
				.baseUnit(meter.getBaseUnit())
				.tags(this.tags)
				.serviceLevelObjectives(HttpServerMetrics.this.sizeBuckets)
				.register(HttpServerMetrics.this.registry);
		}

	}

	/**
	 * The timers of one status (and exception): {@code all} records every request,
	 * {@code sampled} (only when sampling) the sampled ones with buckets.
	 */
	private record StatusTimers(int status, Timer all, @Nullable Timer sampled) {
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

		private RateSampler sampler = RateSampler.of(1.0);

		private boolean identityTags;

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

		/**
		 * Sets the share of requests whose distributions (latency histogram, sizes) are
		 * recorded; counts stay exact whatever the rate. See the class description for
		 * the meters this changes.
		 * @param rate from 0.0 to 1.0; 1.0 (the default) records everything
		 * @return this builder
		 * @throws IllegalArgumentException if {@code rate} is outside 0.0 to 1.0
		 */
		public Builder sampleRate(double rate) {
			this.sampler = RateSampler.of(rate);
			return this;
		}

		/**
		 * Adds {@code user} and {@code org} tags to every meter with a {@code uri}; the
		 * values come with each request, {@code none} when absent.
		 * @param identityTags whether to add the tags (default {@code false})
		 * @return this builder
		 */
		public Builder identityTags(boolean identityTags) {
			this.identityTags = identityTags;
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
