package dev.observability.spring.autoconfigure.http;

import java.io.IOException;

import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.http.UnmatchedUris;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The single point where HTTP server requests are measured. A plain {@link Filter} rather than
 * Spring's observation filter: it reads the route once after the chain, looks cached meters up by
 * (route, method, status) and builds no tag arrays, which is what keeps the request path cheap.
 * <p>
 * Registered for {@link DispatcherType#REQUEST} only: an asynchronous request is recorded when it
 * completes, and the error page forward that follows an exception is not counted a second time.
 */
final class HttpServerMetricsFilter implements Filter {

	/** Spring MVC's best matching pattern; the scrape endpoint sets it too. */
	static final String ROUTE_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

	/** Where Spring MVC leaves an exception that a resolver handled. */
	private static final String HANDLED_EXCEPTION_ATTRIBUTE = "org.springframework.web.servlet.DispatcherServlet.EXCEPTION";

	/** The pattern of Spring MVC's static resource fallback, which every unknown path matches. */
	private static final String FALLBACK_ROUTE = "/**";

	private final HttpServerMetrics metrics;

	HttpServerMetricsFilter(HttpServerMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			chain.doFilter(request, response);
			return;
		}
		long start = this.metrics.requestStarted();
		CountingResponse counted = new CountingResponse(httpResponse);
		Throwable failure = null;
		try {
			chain.doFilter(httpRequest, counted);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			if (failure == null && httpRequest.isAsyncStarted()) {
				httpRequest.getAsyncContext().addListener(new CompletionListener(start, httpRequest, counted));
			}
			else {
				record(start, httpRequest, counted, failure);
			}
		}
	}

	private void record(long start, HttpServletRequest request, CountingResponse response,
			@Nullable Throwable failure) {
		try {
			int status = response.getStatus();
			if (failure != null && !response.isCommitted()) {
				// The container will answer 500 once the exception leaves the filter chain.
				status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
			}
			String exception = exceptionName(request, failure, status);
			this.metrics.requestFinished(start, request.getMethod(), uri(request, status), status, exception,
					request.getContentLengthLong(), response.bytesWritten());
		}
		catch (RuntimeException ex) {
			// HttpServerMetrics never throws; this guards the servlet API calls above.
			this.metrics.requestFinished(start, "UNKNOWN", UnmatchedUris.UNKNOWN, 0, null, -1, -1);
		}
	}

	private static String uri(HttpServletRequest request, int status) {
		Object route = request.getAttribute(ROUTE_ATTRIBUTE);
		if (route instanceof String pattern && !(status == HttpServletResponse.SC_NOT_FOUND
				&& FALLBACK_ROUTE.equals(pattern))) {
			return pattern;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return UnmatchedUris.of(path, status);
	}

	private static @Nullable String exceptionName(HttpServletRequest request, @Nullable Throwable failure,
			int status) {
		Throwable exception = failure;
		if (exception == null && status >= 400) {
			exception = throwableAttribute(request, HANDLED_EXCEPTION_ATTRIBUTE);
			if (exception == null) {
				exception = throwableAttribute(request, RequestDispatcher.ERROR_EXCEPTION);
			}
		}
		if (exception instanceof ServletException && exception.getCause() != null) {
			exception = exception.getCause();
		}
		return (exception != null) ? simpleName(exception.getClass()) : null;
	}

	private static @Nullable Throwable throwableAttribute(HttpServletRequest request, String name) {
		return (request.getAttribute(name) instanceof Throwable throwable) ? throwable : null;
	}

	private static String simpleName(Class<?> type) {
		String name = type.getSimpleName();
		// Anonymous and local classes have no simple name; their binary name is still bounded.
		return name.isEmpty() ? type.getName() : name;
	}

	private final class CompletionListener implements AsyncListener {

		private final long start;

		private final HttpServletRequest request;

		private final CountingResponse response;

		private @Nullable Throwable failure;

		CompletionListener(long start, HttpServletRequest request, CountingResponse response) {
			this.start = start;
			this.request = request;
			this.response = response;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			record(this.start, this.request, this.response, this.failure);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
			this.failure = event.getThrowable();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
