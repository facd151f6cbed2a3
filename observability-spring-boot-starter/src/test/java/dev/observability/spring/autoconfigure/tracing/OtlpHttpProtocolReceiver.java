package dev.observability.spring.autoconfigure.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.jspecify.annotations.Nullable;

/**
 * A small OTLP/HTTP trace receiver for protocol tests: it listens on 127.0.0.1 on a free
 * port, accepts {@code POST /v1/traces} with a protobuf {@code ExportTraceServiceRequest}
 * (gzip or not), decodes it with the protocol's own classes and answers as a collector
 * does. Other paths (404), methods (405), content types and encodings (415) and bodies
 * that do not decode (400) are refused and recorded, so that a test can tell "nothing was
 * sent" from "something was sent wrongly".
 * <p>
 * For backend-down tests it can refuse every export ({@link #respondWith(int)}) or read
 * it and never answer ({@link #blackHole(boolean)}) until closed.
 */
final class OtlpHttpProtocolReceiver implements AutoCloseable {

	static final String TRACES_PATH = "/v1/traces";

	static final String PROTOBUF = "application/x-protobuf";

	/** Status recorded for an export that was read and never answered. */
	static final int NO_ANSWER = 0;

	/** Safety net for a black-holed export whose test forgot to close the receiver. */
	private static final Duration MAX_HANG = Duration.ofSeconds(60);

	private final Object lock = new Object();

	private final List<ReceivedSpan> spans = new ArrayList<>();

	private final List<ReceivedRequest> requests = new ArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private final ExecutorService executor;

	private final HttpServer server;

	private volatile int status = 200;

	private volatile boolean blackHole;

	private OtlpHttpProtocolReceiver(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts a receiver on 127.0.0.1 on a free port.
	 * @return the running receiver
	 */
	static OtlpHttpProtocolReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			// One thread per exchange: a black-holed export must not hold up the next.
			ExecutorService executor = Executors.newCachedThreadPool((task) -> {
				Thread thread = new Thread(task, "otlp-protocol-receiver");
				thread.setDaemon(true);
				return thread;
			});
			OtlpHttpProtocolReceiver receiver = new OtlpHttpProtocolReceiver(server, executor);
			server.createContext("/", receiver::handle);
			server.setExecutor(executor);
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the base URL, without {@code /v1/traces}, as OTEL_EXPORTER_OTLP_ENDPOINT
	 * takes it.
	 * @return such as {@code http://127.0.0.1:54321}
	 */
	String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Answers every later export with the given status and no body, as a collector that
	 * is overloaded (503) or refuses the data (400) does; 200 goes back to normal.
	 * @param status the HTTP status
	 */
	void respondWith(int status) {
		this.status = status;
	}

	/**
	 * Reads every later export and never answers it (until {@link #close()}), as a
	 * backend that accepts connections and then hangs does.
	 * @param on whether to hang
	 */
	void blackHole(boolean on) {
		this.blackHole = on;
	}

	/**
	 * Returns the spans of the exports answered with 200, in the order they arrived.
	 * @return a snapshot
	 */
	List<ReceivedSpan> spans() {
		synchronized (this.lock) {
			return List.copyOf(this.spans);
		}
	}

	/**
	 * Returns every request, refused ones included, in the order they arrived.
	 * @return a snapshot
	 */
	List<ReceivedRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	/**
	 * Waits until at least {@code count} spans have arrived, or the timeout passes.
	 * @param count the number of spans to wait for
	 * @param timeout the longest wait
	 * @return the spans received by then, so that the caller's assertions say what is
	 * missing
	 */
	List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
		return awaitSpans((received) -> received.size() >= count, timeout);
	}

	/**
	 * Waits until the spans received satisfy the condition, or the timeout passes.
	 * @param condition the condition on all spans received so far
	 * @param timeout the longest wait
	 * @return the spans received by then
	 */
	List<ReceivedSpan> awaitSpans(Predicate<? super List<ReceivedSpan>> condition, Duration timeout) {
		return await(this.spans, condition, timeout);
	}

	/**
	 * Waits until at least {@code count} requests have arrived, or the timeout passes.
	 * @param count the number of requests to wait for
	 * @param timeout the longest wait
	 * @return the requests received by then
	 */
	List<ReceivedRequest> awaitRequests(int count, Duration timeout) {
		return await(this.requests, (received) -> received.size() >= count, timeout);
	}

	private <T> List<T> await(List<T> source, Predicate<? super List<T>> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			try {
				long left = timeout.toNanos();
				while (!condition.test(List.copyOf(source)) && left > 0) {
					TimeUnit.NANOSECONDS.timedWait(this.lock, left);
					left = deadline - System.nanoTime();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return List.copyOf(source);
		}
	}

	/**
	 * Stops the server, releasing any black-holed export first.
	 */
	@Override
	public void close() {
		this.closed.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String contentType = header(exchange, "Content-Type");
			String encoding = header(exchange, "Content-Encoding");
			byte[] body = exchange.getRequestBody().readAllBytes();
			int status = decide(exchange, contentType, encoding);
			if (status == 200) {
				status = accept(body, encoding);
			}
			store(new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), contentType,
					encoding, body.length, Map.copyOf(exchange.getRequestHeaders()), status));
			if (status == NO_ANSWER) {
				hang();
			}
			else if (status == 200) {
				byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
				exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
				// An empty message encodes to zero bytes: -1 sends Content-Length: 0.
				exchange.sendResponseHeaders(200, (response.length > 0) ? response.length : -1);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(response);
				}
			}
			else {
				exchange.sendResponseHeaders(status, -1);
			}
		}
	}

	private int decide(HttpExchange exchange, @Nullable String contentType, @Nullable String encoding) {
		if (!TRACES_PATH.equals(exchange.getRequestURI().getPath())) {
			return 404;
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			return 405;
		}
		if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
			return 415;
		}
		if (encoding != null && !isGzip(encoding) && !encoding.trim().equalsIgnoreCase("identity")) {
			return 415;
		}
		if (this.blackHole) {
			return NO_ANSWER;
		}
		return this.status;
	}

	private int accept(byte[] body, @Nullable String encoding) {
		ExportTraceServiceRequest request;
		try {
			request = ExportTraceServiceRequest.parseFrom(isGzip(encoding) ? gunzip(body) : body);
		}
		catch (IOException ex) {
			// Not gzip, or not an ExportTraceServiceRequest: a collector answers 400.
			return 400;
		}
		List<ReceivedSpan> decoded = new ArrayList<>();
		for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
			Map<String, Object> resource = decode(resourceSpans.getResource().getAttributesList());
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				for (Span span : scopeSpans.getSpansList()) {
					decoded.add(ReceivedSpan.of(span, resource));
				}
			}
		}
		synchronized (this.lock) {
			this.spans.addAll(decoded);
			this.lock.notifyAll();
		}
		return 200;
	}

	private void store(ReceivedRequest request) {
		synchronized (this.lock) {
			this.requests.add(request);
			this.lock.notifyAll();
		}
	}

	private void hang() {
		try {
			this.closed.await(MAX_HANG.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static @Nullable String header(HttpExchange exchange, String name) {
		return exchange.getRequestHeaders().getFirst(name);
	}

	private static boolean isGzip(@Nullable String encoding) {
		return encoding != null && encoding.trim().equalsIgnoreCase("gzip");
	}

	private static byte[] gunzip(byte[] body) throws IOException {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
	}

	static Map<String, Object> decode(List<KeyValue> keyValues) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		for (KeyValue keyValue : keyValues) {
			attributes.put(keyValue.getKey(), value(keyValue.getValue()));
		}
		return attributes;
	}

	private static Object value(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> value.getStringValue();
			case BOOL_VALUE -> value.getBoolValue();
			case INT_VALUE -> value.getIntValue();
			case DOUBLE_VALUE -> value.getDoubleValue();
			case ARRAY_VALUE ->
				value.getArrayValue().getValuesList().stream().map(OtlpHttpProtocolReceiver::value).toList();
			case KVLIST_VALUE -> decode(value.getKvlistValue().getValuesList());
			case BYTES_VALUE -> value.getBytesValue().toByteArray();
			// Not used by traces: kept whole so that an assertion shows it.
			case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> value;
		};
	}

	/**
	 * One decoded span, flattened for assertions.
	 *
	 * @param traceId the trace id as 32 hex digits
	 * @param spanId the span id as 16 hex digits
	 * @param parentSpanId the parent's span id as 16 hex digits, empty for a root span
	 * @param name the span name
	 * @param kind the kind as sent
	 * @param attributes the span attributes: String, Long, Boolean, Double, List or Map
	 * values
	 * @param status the status code as sent
	 * @param resource the attributes of the resource the span was sent with
	 */
	record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
			Map<String, Object> attributes, Status.StatusCode status, Map<String, Object> resource) {

		static ReceivedSpan of(Span span, Map<String, Object> resource) {
			return new ReceivedSpan(hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
					span.getName(), span.getKind(), decode(span.getAttributesList()), span.getStatus().getCode(),
					resource);
		}

		/**
		 * Returns the {@code service.name} resource attribute.
		 * @return the service name, or {@code null} if the resource has none
		 */
		@Nullable Object serviceName() {
			return this.resource.get("service.name");
		}

		private static String hex(ByteString bytes) {
			return HexFormat.of().formatHex(bytes.toByteArray());
		}

	}

	/**
	 * One HTTP request as it arrived.
	 *
	 * @param method the HTTP method
	 * @param path the request path
	 * @param contentType the Content-Type header, or {@code null}
	 * @param contentEncoding the Content-Encoding header, or {@code null}
	 * @param size the body size in bytes, as sent (compressed or not)
	 * @param headers all request headers
	 * @param status the status answered, {@link #NO_ANSWER} if none
	 */
	record ReceivedRequest(String method, String path, @Nullable String contentType, @Nullable String contentEncoding,
			int size, Map<String, List<String>> headers, int status) {

	}

}
