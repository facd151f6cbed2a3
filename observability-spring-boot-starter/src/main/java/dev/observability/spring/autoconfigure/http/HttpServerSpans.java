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
 * path are set before the span starts, because sampling rules read them.
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

	HttpServerSpans(Tracer tracer, TextMapPropagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * Starts the server span of a request, as a child of the caller's trace when the
	 * request carries one.
	 * @param request the request
	 * @return the started span, which is a non-recording one when sampled out
	 */
	Span start(HttpServletRequest request) {
		Context parent = this.propagator.extract(Context.current(), request, HEADERS);
		String method = request.getMethod();
		boolean known = KNOWN_METHODS.contains(method);
		var builder = this.tracer.spanBuilder(known ? method : "HTTP")
			.setSpanKind(SpanKind.SERVER)
			.setParent(parent)
			.setAttribute(METHOD, known ? method : OTHER_METHOD)
			.setAttribute(URL_PATH, request.getRequestURI())
			.setAttribute(URL_SCHEME, request.getScheme())
			.setAttribute(SERVER_ADDRESS, request.getServerName())
			.setAttribute(SERVER_PORT, request.getServerPort());
		if (!known) {
			builder.setAttribute(METHOD_ORIGINAL, method);
		}
		return builder.startSpan();
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
