package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Zipkin server ({@code java -jar zipkin-server-*-exec.jar}, the jar the
 * {@code e2e} profile copies from Maven Central), with in-memory storage, listening on
 * 127.0.0.1 only, on a free port. Spans are reported to {@link #spansEndpoint()} and read
 * back through Zipkin's v2 API.
 * <p>
 * Zipkin stores span and service names in lower case: a span reported as {@code GET
 * /api/movies/{id}} reads back as {@code get /api/movies/{id}}.
 */
final class ZipkinServer implements AutoCloseable {

	/**
	 * About 7 s on two cores (3.5.1, the JVM options below); several times that while
	 * other builds share the cores.
	 */
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	/**
	 * Measured on 3.5.1: RSS about 183 MB at start-up instead of 265 MB with the JVM
	 * defaults, and a faster start. C1 alone suits a server that lives for one test
	 * class.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	/**
	 * The environment Zipkin keeps: it reads dozens of variables (storage, collectors,
	 * discovery), so none set in the shell that runs the build may decide what it does.
	 */
	private static final Set<String> KEPT_VARIABLES = Set.of("PATH", "HOME", "TMPDIR", "LANG");

	/** Traces per query: Zipkin's default of 10 would hide traces of a busy test. */
	private static final int TRACE_LIMIT = 1000;

	private static final int TAIL_LINES = 40;

	private final ChildProcess process;

	private final int port;

	private ZipkinServer(ChildProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts Zipkin without waiting for it.
	 * @param processes where the process is registered, to be stopped after the test
	 * class
	 * @return the starting server
	 */
	static ZipkinServer start(ChildProcesses processes) throws IOException {
		int port = FreePorts.next();
		List<String> command = new ArrayList<>();
		command.add(E2eSettings.java());
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-jar", E2eSettings.zipkinServerJar().toString(),
				// Armeria's port list is bound as a whole from the source that sets any
				// of it: given only the ip, Zipkin would listen on a random port.
				"--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=" + port,
				"--armeria.ports[0].protocols[0]=http", "--zipkin.storage.type=mem"));
		ProcessBuilder builder = new ProcessBuilder(command);
		// Away from the repository, so no stray application.yml or config/ directory is
		// picked up.
		builder.directory(E2eSettings.logDirectory().toFile());
		builder.environment().keySet().retainAll(KEPT_VARIABLES);
		return new ZipkinServer(processes.start("zipkin", builder), port);
	}

	/**
	 * Waits, bounded, until {@code /health} reports {@code UP}.
	 * @return this server
	 * @throws IllegalStateException with the end of Zipkin's log, if it exits or is not
	 * up in time
	 */
	ZipkinServer awaitHealthy() throws InterruptedException {
		poll("Zipkin to report UP on /health", STARTUP_TIMEOUT, this::isUp, Boolean::booleanValue);
		return this;
	}

	private boolean isUp() throws InterruptedException {
		try {
			HttpResponse<String> health = LoopbackHttp.get(uri("/health"));
			return health.statusCode() == 200
					&& "UP".equals(JsonMapper.shared().readTree(health.body()).path("status").asString());
		}
		catch (IOException ex) {
			// Not listening yet.
			return false;
		}
	}

	URI baseUrl() {
		return uri("");
	}

	/** Where applications report spans: Zipkin's v2 JSON (or proto3) collector. */
	URI spansEndpoint() {
		return uri("/api/v2/spans");
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** The names of the services that reported spans, in lower case. */
	List<String> serviceNames() throws IOException, InterruptedException {
		List<String> names = new ArrayList<>();
		for (JsonNode name : read("/api/v2/services")) {
			names.add(name.asString());
		}
		return names;
	}

	/**
	 * One trace.
	 * @param traceId the trace ID, 16 or 32 lower-case hex digits
	 * @return its spans as stored so far, none if Zipkin has no span of it
	 */
	List<Span> trace(String traceId) throws IOException, InterruptedException {
		HttpResponse<String> response = LoopbackHttp.get(uri("/api/v2/trace/" + traceId));
		if (response.statusCode() == 404) {
			return List.of();
		}
		return spans(body(response));
	}

	/**
	 * The traces that a service took part in lately.
	 * @param serviceName the service
	 * @param lookback how far back from now
	 * @return the traces, each with all its spans stored so far
	 */
	List<List<Span>> traces(String serviceName, Duration lookback) throws IOException, InterruptedException {
		List<List<Span>> traces = new ArrayList<>();
		for (JsonNode trace : read(
				"/api/v2/traces?serviceName=" + URLEncoder.encode(serviceName, StandardCharsets.UTF_8) + "&lookback="
						+ lookback.toMillis() + "&limit=" + TRACE_LIMIT)) {
			traces.add(spans(trace));
		}
		return traces;
	}

	/**
	 * Waits, bounded, until a trace has a number of spans: reporters send spans in
	 * batches, so a trace can be read back in part.
	 * @param traceId the trace ID
	 * @param spanCount the number of spans to wait for
	 * @return the spans, at least {@code spanCount}
	 */
	List<Span> awaitTrace(String traceId, int spanCount) throws InterruptedException {
		return poll("trace " + traceId + " to have " + spanCount + " spans", TRACE_TIMEOUT, () -> trace(traceId),
				(spans) -> spans.size() >= spanCount);
	}

	/**
	 * Waits, bounded, until a trace of a service matches.
	 * @param serviceName the service
	 * @param lookback how far back from now to look
	 * @param matching when a trace is the one to wait for, complete enough
	 * @return the spans of a matching trace
	 */
	List<Span> awaitTrace(String serviceName, Duration lookback, Predicate<List<Span>> matching)
			throws InterruptedException {
		List<List<Span>> found = poll("a matching trace of " + serviceName, TRACE_TIMEOUT,
				() -> traces(serviceName, lookback), (traces) -> traces.stream().anyMatch(matching));
		return found.stream().filter(matching).findFirst().orElseThrow();
	}

	/**
	 * Calls {@code read} until {@code done} accepts its result. Fails with the last
	 * result and the end of Zipkin's log once Zipkin exits or the timeout passes.
	 */
	private <T> T poll(String what, Duration timeout, Callable<T> read, Predicate<T> done) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		T last = null;
		Exception failure = null;
		while (true) {
			try {
				last = read.call();
				failure = null;
				if (done.test(last)) {
					return last;
				}
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Exception ex) {
				failure = ex;
			}
			String problem = !this.process.isAlive() ? "Zipkin exited"
					: (System.nanoTime() - deadline > 0) ? "Timed out after " + timeout : null;
			if (problem != null) {
				throw new IllegalStateException(problem + " waiting for " + what + "; last read: "
						+ ((failure != null) ? failure : last) + "\n----- last lines of " + this.process.describe()
						+ " -----\n" + this.process.tail(TAIL_LINES), failure);
			}
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
	}

	private JsonNode read(String pathAndQuery) throws IOException, InterruptedException {
		return body(LoopbackHttp.get(uri(pathAndQuery)));
	}

	private static JsonNode body(HttpResponse<String> response) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return JsonMapper.shared().readTree(response.body());
	}

	private static List<Span> spans(JsonNode array) {
		List<Span> spans = new ArrayList<>();
		for (JsonNode span : array) {
			Map<String, String> tags = new TreeMap<>();
			for (Map.Entry<String, JsonNode> tag : span.path("tags").properties()) {
				tags.put(tag.getKey(), tag.getValue().asString());
			}
			spans.add(new Span(span.path("traceId").asString(), text(span, "parentId"), span.path("id").asString(),
					text(span, "kind"), span.path("name").asString(""),
					span.path("localEndpoint").path("serviceName").asString(""), span.path("timestamp").asLong(0),
					span.path("duration").asLong(0), tags));
		}
		return spans;
	}

	private static String text(JsonNode span, String field) {
		return span.hasNonNull(field) ? span.get(field).asString() : null;
	}

	private URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + this.port + pathAndQuery);
	}

	@Override
	public void close() {
		this.process.close();
	}

	/**
	 * A span as Zipkin's v2 API returns it.
	 *
	 * @param traceId the trace ID
	 * @param parentId the parent span's ID, {@code null} for a root span
	 * @param id the span ID
	 * @param kind {@code SERVER}, {@code CLIENT}, {@code PRODUCER} or {@code CONSUMER};
	 * {@code null} for a local span
	 * @param name the span name, in lower case
	 * @param localServiceName the service that recorded the span, in lower case
	 * @param timestampMicros the start, in microseconds since the epoch
	 * @param durationMicros the duration in microseconds
	 * @param tags the tags, by key
	 */
	record Span(String traceId, String parentId, String id, String kind, String name, String localServiceName,
			long timestampMicros, long durationMicros, Map<String, String> tags) {

		boolean isChildOf(Span parent) {
			return this.traceId.equals(parent.traceId) && parent.id.equals(this.parentId);
		}

	}

}
