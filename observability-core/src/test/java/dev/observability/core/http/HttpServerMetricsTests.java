package dev.observability.core.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link HttpServerMetrics}.
 */
final class HttpServerMetricsTests {

	private final MockClock clock = new MockClock();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, this.clock);

	private final HttpServerMetrics metrics = HttpServerMetrics.builder(this.registry).build();

	@Test
	void recordsDurationWithSpringCompatibleTags() {
		long start = this.metrics.requestStarted();
		this.clock.add(30, TimeUnit.MILLISECONDS);
		this.metrics.requestFinished(start, "GET", "/api/movies/{id}", 200, null, -1, 68);

		Timer timer = this.registry.get("http.server.requests")
			.tag("method", "GET")
			.tag("uri", "/api/movies/{id}")
			.tag("status", "200")
			.tag("outcome", "SUCCESS")
			.tag("exception", "none")
			.timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
	}

	@Test
	void sameSeriesReusesTheSameTimer() {
		for (int i = 0; i < 5; i++) {
			this.metrics.requestFinished(this.metrics.requestStarted(), "GET", "/a", 200, null, -1, -1);
		}
		this.metrics.requestFinished(this.metrics.requestStarted(), "GET", "/a", 404, null, -1, -1);

		assertThat(this.registry.get("http.server.requests").tag("status", "200").timer().count()).isEqualTo(5);
		assertThat(this.registry.get("http.server.requests").tag("status", "404").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("http.server.requests").timers()).hasSize(2);
	}

	@Test
	void latencyHistogramHasTheConfiguredBuckets() {
		HttpServerMetrics custom = HttpServerMetrics.builder(this.registry)
			.latencyBuckets(Duration.ofMillis(10), Duration.ofMillis(100))
			.build();
		long start = custom.requestStarted();
		this.clock.add(50, TimeUnit.MILLISECONDS);
		custom.requestFinished(start, "GET", "/h", 200, null, -1, -1);

		CountAtBucket[] buckets = this.registry.get("http.server.requests").timer().takeSnapshot().histogramCounts();
		assertThat(buckets).extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS)).containsExactly(10.0, 100.0);
		assertThat(buckets).extracting(CountAtBucket::count).containsExactly(0.0, 1.0);
	}

	@Test
	void exceptionsGetTheirOwnSeriesAndCounter() {
		this.metrics.requestFinished(this.metrics.requestStarted(), "POST", "/boom", 500, "IllegalStateException", 10,
				0);
		this.metrics.requestFinished(this.metrics.requestStarted(), "POST", "/boom", 500, "IllegalStateException", 10,
				0);

		assertThat(this.registry.get("http.server.requests")
			.tag("exception", "IllegalStateException")
			.tag("outcome", "SERVER_ERROR")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("http.server.exceptions")
			.tags("method", "POST", "uri", "/boom", "exception", "IllegalStateException")
			.counter()
			.count()).isEqualTo(2.0);
	}

	@Test
	void unknownMethodsShareOneSeries() {
		this.metrics.requestFinished(this.metrics.requestStarted(), "FOO", "/x", 405, null, -1, -1);
		this.metrics.requestFinished(this.metrics.requestStarted(), "BAR", "/x", 405, null, -1, -1);

		assertThat(this.registry.get("http.server.requests").tag("method", "UNKNOWN").timer().count()).isEqualTo(2);
		assertThat(this.registry.find("http.server.requests").tag("method", "FOO").timer()).isNull();
	}

	@Test
	void sizesAreRecordedOnlyWhenKnown() {
		this.metrics.requestFinished(this.metrics.requestStarted(), "PUT", "/s", 200, null, 1_500, 20);
		this.metrics.requestFinished(this.metrics.requestStarted(), "PUT", "/s", 200, null, -1, -1);

		assertThat(this.registry.get("http.server.request.size").summary().count()).isEqualTo(1);
		assertThat(this.registry.get("http.server.request.size").summary().totalAmount()).isEqualTo(1_500);
		assertThat(this.registry.get("http.server.response.size").summary().totalAmount()).isEqualTo(20);
		assertThat(this.registry.get("http.server.response.size").summary().getId().getBaseUnit()).isEqualTo("bytes");
	}

	@Test
	void activeGaugeTracksRequestsInFlight() {
		long first = this.metrics.requestStarted();
		long second = this.metrics.requestStarted();
		assertThat(this.registry.get("http.server.requests.active").gauge().value()).isEqualTo(2.0);

		this.metrics.requestFinished(first, "GET", "/a", 200, null, -1, -1);
		this.metrics.requestFinished(second, "GET", "/a", 200, null, -1, -1);
		assertThat(this.registry.get("http.server.requests.active").gauge().value()).isZero();
	}

	@Test
	void recordingFailureNeverReachesTheCaller() {
		SimpleMeterRegistry broken = new SimpleMeterRegistry();
		HttpServerMetrics brokenMetrics = HttpServerMetrics.builder(broken).build();
		// A filter that throws for every new timer stands in for a broken registry.
		broken.config().meterFilter(new MeterFilter() {
			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getName().equals("http.server.requests")) {
					throw new IllegalStateException("broken registry");
				}
				return id;
			}
		});

		long start = brokenMetrics.requestStarted();
		assertThatNoException().isThrownBy(() -> brokenMetrics.requestFinished(start, "GET", "/a", 200, null, -1, -1));
		assertThat(brokenMetrics.activeRequests()).isZero();
	}

	@Test
	void rejectsBucketsThatAreNotIncreasing() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpServerMetrics.builder(this.registry)
				.latencyBuckets(Duration.ofMillis(100), Duration.ofMillis(10)))
			.withMessageContaining("latencyBuckets");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpServerMetrics.builder(this.registry).sizeBuckets())
			.withMessageContaining("sizeBuckets must not be empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpServerMetrics.builder(this.registry).sizeBuckets(0, 10))
			.withMessageContaining("positive");
	}

	@Test
	void sampledRequestsKeepCountsExactAndSampleTheDistributions() {
		HttpServerMetrics sampled = HttpServerMetrics.builder(this.registry).sampleRate(0.1).build();
		int requests = 20_000;
		int chosen = 0;
		for (int i = 0; i < requests; i++) {
			long start = sampled.requestStarted();
			boolean decision = sampled.sampleRequest();
			chosen += decision ? 1 : 0;
			this.clock.add(20, TimeUnit.MILLISECONDS);
			sampled.requestFinished(start, decision, "GET", "/s", 200, null, 100, 200, null, null);
		}

		Timer all = this.registry.get("http.server.requests").timer();
		assertThat(all.count()).as("every request is counted").isEqualTo(requests);
		assertThat(all.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0 * requests);
		assertThat(all.takeSnapshot().histogramCounts()).as("no buckets on the exact timer").isEmpty();
		Timer histogram = this.registry.get("http.server.requests.sampled").timer();
		assertThat(histogram.count()).isEqualTo(chosen);
		assertThat(histogram.takeSnapshot().histogramCounts()).hasSize(11);
		// Binomial(20000, 0.1): sigma is about 42; 6 sigma leaves no room for flakiness.
		assertThat(chosen).isBetween(2_000 - 255, 2_000 + 255);
		assertThat(this.registry.get("http.server.request.size").summary().count()).isEqualTo(chosen);
		assertThat(this.registry.get("http.server.response.size").summary().count()).isEqualTo(chosen);
		assertThat(histogram.getId().getTags()).isEqualTo(all.getId().getTags());
	}

	@Test
	void withoutSamplingThereIsNoSampledHistogram() {
		assertThat(this.metrics.sampleRequest()).isTrue();
		this.metrics.requestFinished(this.metrics.requestStarted(), "GET", "/a", 200, null, -1, -1);

		assertThat(this.registry.find("http.server.requests.sampled").meters()).isEmpty();
		assertThat(this.registry.get("http.server.requests").timer().takeSnapshot().histogramCounts()).hasSize(11);
	}

	@Test
	void exceptionsAreCountedExactlyWhenNotSampled() {
		HttpServerMetrics never = HttpServerMetrics.builder(this.registry).sampleRate(0.0).build();
		for (int i = 0; i < 3; i++) {
			never.requestFinished(never.requestStarted(), never.sampleRequest(), "GET", "/e", 500, "IOException", -1,
					-1, null, null);
		}

		assertThat(this.registry.get("http.server.requests").tag("exception", "IOException").timer().count())
			.isEqualTo(3);
		assertThat(this.registry.get("http.server.exceptions").counter().count()).isEqualTo(3.0);
		assertThat(this.registry.get("http.server.requests.sampled").timer().count()).isZero();
	}

	@Test
	void identityTagsGoOnEveryMeterWithAUri() {
		HttpServerMetrics detailed = HttpServerMetrics.builder(this.registry).identityTags(true).build();
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, "alice", "acme");
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, "alice", "acme");
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 500, "IOException", 10, 10, "bob", null);
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, null, null);

		assertThat(this.registry.get("http.server.requests").tags("user", "alice", "org", "acme").timer().count())
			.isEqualTo(2);
		assertThat(this.registry.get("http.server.requests").tags("user", "bob", "org", "none").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("http.server.requests").tags("user", "none", "org", "none").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("http.server.exceptions").tags("user", "bob", "org", "none").counter().count())
			.isEqualTo(1.0);
		assertThat(this.registry.get("http.server.request.size").summaries()).hasSize(3);
		assertThat(this.registry.getMeters()).filteredOn((meter) -> meter.getId().getTag("uri") != null)
			.as("all series of a name have the same tag keys")
			.allSatisfy((meter) -> assertThat(meter.getId().getTag("user")).isNotNull());
	}

	@Test
	void requestsWithoutIdentityShareOneSeriesWithOtherUsersBesideIt() {
		HttpServerMetrics detailed = HttpServerMetrics.builder(this.registry).identityTags(true).build();
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, null, null);
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, "none", "none");
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, "none", "acme");
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 200, null, 10, 10, "alice", "none");
		detailed.requestFinished(detailed.requestStarted(), true, "POST", "/d", 201, null, 10, 10, null, null);
		detailed.requestFinished(detailed.requestStarted(), true, "GET", "/d", 404, null, 10, 10, null, null);

		assertThat(this.registry.get("http.server.requests")
			.tags("method", "GET", "status", "200", "user", "none", "org", "none")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("http.server.requests").tags("user", "none", "org", "acme").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("http.server.requests").tags("user", "alice", "org", "none").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("http.server.requests")
			.tags("method", "POST", "user", "none", "org", "none")
			.timer()
			.count()).as("each method has its own series without identity").isEqualTo(1);
		assertThat(this.registry.get("http.server.requests").tags("status", "404", "user", "none").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("http.server.response.size").tags("user", "none", "org", "none").summaries())
			.hasSize(2);
	}

	@Test
	void identityIsIgnoredWithoutIdentityTags() {
		this.metrics.requestFinished(this.metrics.requestStarted(), true, "GET", "/d", 200, null, -1, -1, "alice",
				"acme");

		assertThat(this.registry.get("http.server.requests").timer().getId().getTag("user")).isNull();
	}

	@Test
	void rejectsASampleRateOutsideZeroToOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpServerMetrics.builder(this.registry).sampleRate(1.5))
			.withMessageContaining("1.5");
	}

}
