package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap soak of {@code docs/reliability.md}: the packaged example app receives a
 * million requests for unique random paths (404s, as a scanner sends them) and its heap
 * after a full GC is compared before and after. Too long for every build: run it on
 * purpose with
 * {@code ./mvnw -pl examples -am verify -Pe2e -Dit.test=HostilePathSoakIT -De2e.soak=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -De2e.soak.requests=N} for another
 * count).
 */
@EnabledIfSystemProperty(named = "e2e.soak", matches = "true")
final class HostilePathSoakIT {

	private static final int THREADS = 8;

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Test
	void heapStaysBoundedUnderAMillionUniquePaths() throws Exception {
		int requests = Integer.getInteger("e2e.soak.requests", 1_000_000);
		ExampleApp app = ExampleApp.start(processes, "soak", Map.of()).awaitHealthy();
		// Warm-up: JIT, pools, the overflow series and the limiter's full budget exist
		// before the baseline.
		send(app, 20_000);
		long before = heapAfterGc(app);
		long started = System.nanoTime();
		long errors = send(app, requests);
		double seconds = (System.nanoTime() - started) / 1e9;
		long after = heapAfterGc(app);

		List<TextExposition.Sample> scrape = TextExposition.parse(app.get("/metrics").body());
		long series = scrape.stream()
			.filter((sample) -> sample.name().equals("http_server_requests_seconds_count"))
			.count();
		double counted = scrape.stream()
			.filter((sample) -> sample.name().equals("http_server_requests_seconds_count"))
			.filter((sample) -> sample.has("status", "404"))
			.mapToDouble(TextExposition.Sample::value)
			.sum();
		String report = String.format(Locale.ROOT,
				"requests=%d errors=%d seconds=%.1f rate=%.0f/s heapBeforeMiB=%.1f heapAfterMiB=%.1f growthMiB=%.1f "
						+ "httpSeries=%d counted404=%.0f%n",
				requests, errors, seconds, requests / seconds, before / 1048576.0, after / 1048576.0,
				(after - before) / 1048576.0, series, counted);
		Files.writeString(E2eSettings.logDirectory().resolve("soak.txt"), report);
		System.out.print(report);

		assertThat(errors).isZero();
		// The client may resend a GET whose keep-alive connection the server closed
		// (Tomcat closes one every
		// 100 requests), so the server can see a handful more requests than were sent,
		// never fewer.
		assertThat(counted).as("every 404 counted").isBetween(requests + 20_000.0, requests * 1.0001 + 20_000);
		assertThat(series).as("http_server_requests series").isLessThan(200);
		assertThat(after - before).as("heap growth in bytes").isLessThan(20L * 1024 * 1024);
	}

	/**
	 * Sends unique random paths from a few threads; returns how many answers were not
	 * 404.
	 */
	private long send(ExampleApp app, int count) throws Exception {
		AtomicLong next = new AtomicLong();
		AtomicLong unexpected = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<Object>> done = pool.invokeAll(java.util.Collections.nCopies(THREADS, () -> {
				while (next.getAndIncrement() < count) {
					String path = "/scan/" + UUID.randomUUID().toString().substring(0, 8) + "/x" + next.get();
					HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
						.timeout(Duration.ofSeconds(10))
						.build();
					if (this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 404) {
						unexpected.incrementAndGet();
					}
				}
				return null;
			}), 2, TimeUnit.HOURS);
			for (Future<Object> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		return unexpected.get();
	}

	/** Heap in use right after two full collections, read from the app's own metrics. */
	private static long heapAfterGc(ExampleApp app) throws IOException, InterruptedException {
		Path jcmd = Path.of(E2eSettings.java()).resolveSibling("jcmd");
		for (int i = 0; i < 2; i++) {
			Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(app.pid()), "GC.run")
				.redirectErrorStream(true)
				.start();
			gc.getInputStream().readAllBytes();
			assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
		}
		return (long) TextExposition.parse(app.get("/metrics").body())
			.stream()
			.filter((sample) -> sample.name().equals("jvm_memory_used_bytes") && sample.has("area", "heap"))
			.mapToDouble(TextExposition.Sample::value)
			.sum();
	}

}
