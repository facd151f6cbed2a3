package dev.observability.examples.movies.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.observability.examples.movies.e2e.ZipkinServer.Span;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces end to end: the packaged example app exports to a real Zipkin server through the
 * seeds' switches, and the trace of one request is read back from Zipkin's API: the
 * starter's HTTP server span, a {@code @TraceFunction} method and the database queries
 * under it, and the request's JSON log line with the same trace id.
 */
final class TracingE2eIT {

	private static final String APP_NAME = "traced-app";

	private static final SecureRandom RANDOM = new SecureRandom();

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private static ZipkinServer zipkin;

	private static ExampleApp app;

	@BeforeAll
	static void start() throws Exception {
		zipkin = ZipkinServer.start(processes);
		app = ExampleApp.start(processes, APP_NAME,
				Map.of("TRACING_SAMPLE_RATE", "1.0", "OBSERVABILITY_TRACING_EXPORTER", "zipkin",
						"OBSERVABILITY_TRACING_ZIPKIN_ENDPOINT", zipkin.spansEndpoint().toString(), "OTEL_SERVICE_NAME",
						"movie-finder-e2e",
						// Batches every 200 ms rather than Boot's 5 s, so the test waits
						// less.
						"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms"));
		zipkin.awaitHealthy();
		app.awaitHealthy();
	}

	@Test
	void requestTraceHasTheServerSpanAsParentOfTheFunctionAndTheDatabaseSpans() throws Exception {
		String traceId = hex(16);
		String callerSpanId = hex(8);
		assertThat(
				app.get("/api/movies/42/recommendations", "traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
					.statusCode())
			.isEqualTo(200);
		List<Span> spans = zipkin.awaitTrace(traceId, 4);
		assertThat(spans).hasSize(4)
			.allSatisfy((span) -> assertThat(span.localServiceName()).isEqualTo("movie-finder-e2e"));

		Span server = single(spans, "SERVER");
		// Zipkin stores names in lower case.
		assertThat(server.name()).isEqualTo("get /api/movies/{id}/recommendations");
		assertThat(server.parentId()).as("caller's span").isEqualTo(callerSpanId);
		assertThat(server.tags()).containsEntry("http.route", "/api/movies/{id}/recommendations")
			.containsEntry("http.request.method", "GET")
			.containsEntry("http.response.status_code", "200")
			.containsEntry("url.path", "/api/movies/42/recommendations")
			.containsEntry("server.address", "127.0.0.1")
			.doesNotContainKey("error.type");

		Span function = spans.stream()
			.filter((span) -> "movies.recommend".equals(span.name()))
			.findFirst()
			.orElseThrow();
		assertThat(function.isChildOf(server)).as("function span under the server span").isTrue();
		assertThat(function.kind()).as("an internal span").isNull();
		assertThat(function.tags()).containsEntry("recommender", "release-year");

		List<Span> queries = spans.stream().filter((span) -> "CLIENT".equals(span.kind())).toList();
		assertThat(queries).hasSize(2).allSatisfy((query) -> {
			assertThat(query.isChildOf(server)).as("database span under the server span").isTrue();
			assertThat(query.name()).isEqualTo("select movie");
			assertThat(query.tags()).containsEntry("db.operation.name", "SELECT")
				.containsEntry("db.collection.name", "movie")
				.containsEntry("db.system.name", "h2");
		});

		JsonNode logLine = awaitLogLine("Recommended 2 movies for movie 42");
		assertThat(logLine.path("trace_id").asString()).isEqualTo(traceId);
		assertThat(logLine.path("span_id").asString()).isEqualTo(function.id());
	}

	@Test
	void healthChecksLeaveNoTraceEvenUnderASampledCaller() throws Exception {
		String healthTrace = hex(16);
		assertThat(app.get("/actuator/health", "traceparent", "00-" + healthTrace + "-" + hex(8) + "-01").statusCode())
			.isEqualTo(200);
		// A request traced after it, read back, proves the exporter has sent what came
		// before.
		String laterTrace = hex(16);
		app.get("/api/movies/1", "traceparent", "00-" + laterTrace + "-" + hex(8) + "-01");
		zipkin.awaitTrace(laterTrace, 2);
		assertThat(zipkin.trace(healthTrace)).isEmpty();
	}

	private static JsonNode awaitLogLine(String message) {
		Path log = E2eSettings.logDirectory().resolve(APP_NAME + ".log");
		return await("a JSON log line with \"" + message + "\" in " + log).atMost(Duration.ofSeconds(10))
			.until(() -> Files.readAllLines(log, StandardCharsets.UTF_8)
				.stream()
				.filter((line) -> line.startsWith("{") && line.contains(message))
				.map((line) -> JsonMapper.shared().readTree(line))
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow();
	}

	private static Span single(List<Span> spans, String kind) {
		return spans.stream()
			.filter((span) -> kind.equals(span.kind()))
			.collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), (found) -> {
				assertThat(found).as("%s spans", kind).hasSize(1);
				return found.get(0);
			}));
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
