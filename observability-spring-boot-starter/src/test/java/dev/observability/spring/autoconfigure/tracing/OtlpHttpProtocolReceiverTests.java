package dev.observability.spring.autoconfigure.tracing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedRequest;
import dev.observability.spring.autoconfigure.tracing.OtlpHttpProtocolReceiver.ReceivedSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR;
import static io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_UNSET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link OtlpHttpProtocolReceiver}: OpenTelemetry's own OTLP/HTTP exporter
 * against it, and the refusals with a plain HTTP client.
 */
final class OtlpHttpProtocolReceiverTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OtlpHttpProtocolReceiver receiver = OtlpHttpProtocolReceiver.start();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@AfterEach
	void close() {
		this.receiver.close();
	}

	@Test
	void decodesWhatTheOtlpHttpExporterSends() {
		Span parent;
		Span child;
		try (SdkTracerProvider provider = tracerProvider(OtlpHttpSpanExporter.builder())) {
			Tracer tracer = provider.get("receiver-test");
			parent = tracer.spanBuilder("parent").setSpanKind(SpanKind.SERVER).startSpan();
			try (Scope scope = parent.makeCurrent()) {
				child = tracer.spanBuilder("child")
					.setSpanKind(SpanKind.CLIENT)
					.setAttribute("text", "value")
					.setAttribute("count", 3L)
					.setAttribute("flag", true)
					.setAttribute("ratio", 0.5)
					.setAttribute(AttributeKey.stringArrayKey("list"), List.of("a", "b"))
					.startSpan();
				child.setStatus(StatusCode.ERROR, "failed");
				child.end();
			}
			parent.end();
			assertThat(provider.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		List<ReceivedSpan> spans = this.receiver.awaitSpans(2, WAIT);
		String traceId = parent.getSpanContext().getTraceId();
		// One export per span, sent concurrently: they may arrive in either order.
		assertThat(spans).containsExactlyInAnyOrder(
				new ReceivedSpan(traceId, child.getSpanContext().getSpanId(), parent.getSpanContext().getSpanId(),
						"child", SPAN_KIND_CLIENT,
						Map.of("text", "value", "count", 3L, "flag", true, "ratio", 0.5, "list", List.of("a", "b")),
						STATUS_CODE_ERROR, spans.get(0).resource()),
				new ReceivedSpan(traceId, parent.getSpanContext().getSpanId(), "", "parent", SPAN_KIND_SERVER, Map.of(),
						STATUS_CODE_UNSET, spans.get(0).resource()));
		assertThat(spans).allSatisfy((span) -> assertThat(span.serviceName()).isEqualTo("receiver-test"));
		assertThat(this.receiver.requests()).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.path()).isEqualTo("/v1/traces");
			assertThat(request.contentType()).isEqualTo("application/x-protobuf");
			assertThat(request.contentEncoding()).isNull();
			assertThat(request.status()).isEqualTo(200);
		});
	}

	@Test
	void decodesGzippedExports() {
		try (SdkTracerProvider provider = tracerProvider(OtlpHttpSpanExporter.builder().setCompression("gzip"))) {
			provider.get("receiver-test").spanBuilder("zipped").startSpan().end();
			assertThat(provider.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		assertThat(this.receiver.awaitSpans(1, WAIT)).extracting(ReceivedSpan::name).containsExactly("zipped");
		assertThat(this.receiver.requests()).extracting(ReceivedRequest::contentEncoding, ReceivedRequest::status)
			.containsExactly(tuple("gzip", 200));
	}

	@Test
	void answersWithAnEmptyExportTraceServiceResponse() throws Exception {
		HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", exportRequest());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
		assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
	}

	@Test
	void refusesOtherPathsWith404() throws Exception {
		assertThat(post("/v1/metrics", "application/x-protobuf", exportRequest()).statusCode()).isEqualTo(404);
		assertThat(this.receiver.requests()).extracting(ReceivedRequest::path, ReceivedRequest::status)
			.containsExactly(tuple("/v1/metrics", 404));
		assertThat(this.receiver.spans()).isEmpty();
	}

	@Test
	void refusesOtherContentTypesWith415() throws Exception {
		// OTLP/HTTP also allows JSON; the exporter under test sends protobuf, so JSON
		// here
		// means something is misconfigured.
		assertThat(post("/v1/traces", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode())
			.isEqualTo(415);
		assertThat(this.receiver.requests()).extracting(ReceivedRequest::contentType, ReceivedRequest::status)
			.containsExactly(tuple("application/json", 415));
	}

	@Test
	void refusesUnknownContentEncodingsWith415() throws Exception {
		assertThat(
				post("/v1/traces", "application/x-protobuf", exportRequest(), "Content-Encoding", "zstd").statusCode())
			.isEqualTo(415);
	}

	@Test
	void refusesBodiesThatDoNotDecodeWith400() throws Exception {
		assertThat(post("/v1/traces", "application/x-protobuf", new byte[] { (byte) 0xff }).statusCode())
			.isEqualTo(400);
		assertThat(
				post("/v1/traces", "application/x-protobuf", exportRequest(), "Content-Encoding", "gzip").statusCode())
			.as("plain protobuf declared as gzip")
			.isEqualTo(400);
		assertThat(this.receiver.spans()).isEmpty();
	}

	@Test
	void respondsWithTheChosenStatusUntilToldOtherwise() throws Exception {
		this.receiver.respondWith(503);
		assertThat(post("/v1/traces", "application/x-protobuf", exportRequest()).statusCode()).isEqualTo(503);
		assertThat(this.receiver.spans()).isEmpty();
		this.receiver.respondWith(200);
		assertThat(post("/v1/traces", "application/x-protobuf", exportRequest()).statusCode()).isEqualTo(200);
		assertThat(this.receiver.spans()).extracting(ReceivedSpan::name).containsExactly("sent");
	}

	@Test
	void blackHoleReadsExportsAndNeverAnswersUntilClosed() {
		this.receiver.blackHole(true);
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.receiver.endpoint() + "/v1/traces"))
			.timeout(Duration.ofMillis(300))
			.header("Content-Type", "application/x-protobuf")
			.POST(HttpRequest.BodyPublishers.ofByteArray(exportRequest()))
			.build();
		assertThatExceptionOfType(HttpTimeoutException.class)
			.isThrownBy(() -> this.client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
		assertThat(this.receiver.awaitRequests(1, WAIT)).extracting(ReceivedRequest::status)
			.containsExactly(OtlpHttpProtocolReceiver.NO_ANSWER);
		assertThat(this.receiver.spans()).isEmpty();
		long start = System.nanoTime();
		this.receiver.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	private SdkTracerProvider tracerProvider(OtlpHttpSpanExporterBuilder exporter) {
		return SdkTracerProvider.builder()
			.setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "receiver-test").build()))
			.addSpanProcessor(SimpleSpanProcessor
				.create(exporter.setEndpoint(this.receiver.endpoint() + OtlpHttpProtocolReceiver.TRACES_PATH).build()))
			.build();
	}

	/** An export with one span named "sent", built with the protocol's classes. */
	private static byte[] exportRequest() {
		io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
			.setTraceId(ByteString.copyFrom(new byte[16]))
			.setSpanId(ByteString.copyFrom(new byte[8]))
			.setName("sent")
			.build();
		return ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
			.build()
			.toByteArray();
	}

	private HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.receiver.endpoint() + path))
			.timeout(WAIT)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

}
