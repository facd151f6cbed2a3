package dev.observability.spring.autoconfigure.http;

import java.util.Collections;
import java.util.Set;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP server span of a request, started and ended by {@link HttpServerMetricsFilter}
 * with the tracer of Spring Boot's OpenTelemetry SDK. The span is made current for the
 * whole request, so Micrometer observations, {@code @TraceFunction} methods and log lines
 * inside it become its children.
 * <p>
 * Attributes follow the OpenTelemetry HTTP semantic conventions. The request's method and
 * path are set before the span starts, because sampling rules read them; the others only
 * on a span that records.
 */
final class HttpServerSpans {

	static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");

	static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");

	static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

	static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");

	static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

	static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

	static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

	static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

	static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	/** The methods the conventions know; any other is reported as {@code _OTHER}. */
	private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
			"OPTIONS", "TRACE", "PATCH");

	private static final String OTHER_METHOD = "_OTHER";

	private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(HttpServletRequest carrier) {
			return Collections.list(carrier.getHeaderNames());
		}

		@Override
		public @Nullable String get(@Nullable HttpServletRequest carrier, String key) {
			return (carrier != null) ? carrier.getHeader(key) : null;
		}

	};

	private final Tracer tracer;

	private final TextMapPropagator propagator;

	/** The headers the propagator reads, or none when it declares none. */
	private final String[] propagationHeaders;

	HttpServerSpans(Tracer tracer, TextMapPropagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
		this.propagationHeaders = propagator.fields().toArray(String[]::new);
	}

	/**
	 * Starts the server span of a request, as a child of the caller's trace when the
	 * request carries one.
	 * @param request the request
	 * @return the started span, which is a non-recording one when sampled out
	 */
	Span start(HttpServletRequest request) {
		Context current = Context.current();
		Context parent = carriesContext(request) ? this.propagator.extract(current, request, HEADERS) : current;
		String method = request.getMethod();
		boolean known = KNOWN_METHODS.contains(method);
		// Only what samplers read is set before the sampling decision; a span sampled out
		// (most of them) does not pay for the rest.
		Span span = this.tracer.spanBuilder(known ? method : "HTTP")
			.setSpanKind(SpanKind.SERVER)
			.setParent(parent)
			.setAttribute(METHOD, known ? method : OTHER_METHOD)
			.setAttribute(URL_PATH, request.getRequestURI())
			.startSpan();
		if (span.isRecording()) {
			span.setAttribute(URL_SCHEME, request.getScheme());
			span.setAttribute(SERVER_ADDRESS, request.getServerName());
			span.setAttribute(SERVER_PORT, request.getServerPort());
			if (!known) {
				span.setAttribute(METHOD_ORIGINAL, method);
			}
		}
		return span;
	}

	/**
	 * Whether the request has one of the propagator's headers. Most requests carry none,
	 * and extracting from them still costs (Micrometer's baggage propagator walks its
	 * fields with a stream). A propagator that declares no field is always asked.
	 */
	private boolean carriesContext(HttpServletRequest request) {
		if (this.propagationHeaders.length == 0) {
			return true;
		}
		for (String header : this.propagationHeaders) {
			if (request.getHeader(header) != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Makes the span current on this thread, with the caller's context (baggage) kept.
	 * @param span the request's span
	 * @return the scope to close on this thread when the request leaves the filter
	 */
	Scope makeCurrent(Span span) {
		return span.makeCurrent();
	}

	/**
	 * Ends the span with what the request produced.
	 * @param span the request's span
	 * @param method the request's method
	 * @param route the route template, or {@code null} when no route matched
	 * @param status the response status
	 * @param exception the exception that left the chain or that Spring MVC handled, or
	 * {@code null}
	 * @param thrown whether an exception left the filter chain, which the container
	 * answers with an error whatever the status says
	 */
	void end(Span span, String method, @Nullable String route, int status, @Nullable Throwable exception,
			boolean thrown) {
		if (span.isRecording()) {
			if (route != null) {
				span.setAttribute(ROUTE, route);
				span.updateName((KNOWN_METHODS.contains(method) ? method : "HTTP") + " " + route);
			}
			span.setAttribute(STATUS, status);
			// The conventions count only 5xx as server errors; a 4xx is the client's.
			if (status >= 500 || thrown) {
				if (exception != null) {
					span.recordException(exception);
				}
				span.setAttribute(ERROR_TYPE,
						(exception != null) ? exception.getClass().getName() : Integer.toString(status));
				span.setStatus(StatusCode.ERROR);
			}
		}
		span.end();
	}

}
