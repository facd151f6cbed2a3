package dev.observability.spring.autoconfigure.http;

import java.io.IOException;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.cardinality.CardinalityLimiter.TagLimit;
import dev.observability.core.http.HttpServerMeters;
import dev.observability.core.http.HttpServerMetrics;
import dev.observability.core.normalization.PathNormalizer;
import dev.observability.spring.autoconfigure.http.RequestIdentityFilter.RequestIdentity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
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

import org.springframework.web.servlet.HandlerMapping;

/**
 * The single point where HTTP server requests are measured. A plain {@link Filter} rather
 * than Spring's observation filter: it reads the route once after the chain, looks cached
 * meters up by (route, method, status) and builds no tag arrays, which is what keeps the
 * request path cheap. With tracing on it also starts the request's server span and keeps
 * it current until the metrics are recorded, so the latency histogram's exemplar names
 * the request's trace.
 * <p>
 * Registered for {@link DispatcherType#REQUEST} only: an asynchronous request is recorded
 * when it completes, and the error page forward that follows an exception is not counted
 * a second time.
 */
final class HttpServerMetricsFilter implements Filter {

	/**
	 * Spring MVC's best matching pattern; the scrape endpoint sets it too. A compile-time
	 * constant, so reading it needs no Spring MVC class at run time.
	 */
	static final String ROUTE_ATTRIBUTE = HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE;

	/** Where Spring MVC leaves an exception that a resolver handled. */
	private static final String HANDLED_EXCEPTION_ATTRIBUTE = "org.springframework.web.servlet.DispatcherServlet.EXCEPTION";

	private static final String BUDGET_METRIC = HttpServerMeters.REQUESTS.getName();

	private static final String URI_TAG = HttpServerMeters.HttpServerKeys.URI.asString();

	private static final String USER_TAG = HttpServerMeters.HttpServerKeys.USER.asString();

	private static final String ORG_TAG = HttpServerMeters.HttpServerKeys.ORG.asString();

	/** The user or org of a request without identity, as the core recorder writes it. */
	private static final String NO_IDENTITY = "none";

	/**
	 * The pattern of Spring MVC's static resource fallback, which every unknown path
	 * matches.
	 */
	private static final String FALLBACK_ROUTE = "/**";

	private final HttpServerMetrics metrics;

	private final PathNormalizer normalizer;

	private final @Nullable CardinalityLimiter limiter;

	private final boolean identityTags;

	private final @Nullable HttpServerSpans spans;

	/**
	 * The budgets of the identity tags, found on first use rather than looked up twice
	 * per request. Racy but idempotent: the limiter hands out the same budgets every
	 * time, and the record's fields are final.
	 */
	private @Nullable IdentityLimits identityLimits;

	/**
	 * Creates a new instance.
	 * @param metrics the recorder
	 * @param normalizer normalizes the paths of requests that matched no route
	 * @param limiter bounds unmatched paths and identities, or {@code null}
	 * @param identityTags whether to read the identity that {@link RequestIdentityFilter}
	 * leaves on the request (detailed metrics)
	 * @param spans starts and ends server spans, or {@code null} when tracing is off
	 */
	HttpServerMetricsFilter(HttpServerMetrics metrics, PathNormalizer normalizer, @Nullable CardinalityLimiter limiter,
			boolean identityTags, @Nullable HttpServerSpans spans) {
		this.metrics = metrics;
		this.normalizer = normalizer;
		this.limiter = limiter;
		this.identityTags = identityTags;
		this.spans = spans;
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
		boolean sampled = this.metrics.sampleRequest();
		// Response bytes feed only the size distribution: unsampled requests skip the
		// wrapper.
		HttpServletResponse measured = sampled ? new CountingResponse(httpResponse) : httpResponse;
		Span span = startSpan(httpRequest);
		Scope scope = (span != null) ? currentSpan(span) : null;
		Throwable failure = null;
		try {
			chain.doFilter(httpRequest, measured);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			failure = ex;
			throw ex;
		}
		finally {
			if (failure == null && httpRequest.isAsyncStarted()) {
				httpRequest.getAsyncContext()
					.addListener(new CompletionListener(start, sampled, httpRequest, measured, span));
			}
			else {
				record(start, sampled, httpRequest, measured, failure, span);
			}
			if (scope != null) {
				close(scope);
			}
		}
	}

	private static void close(Scope scope) {
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			// The request's answer matters more than a context left behind.
		}
	}

	/**
	 * Starts the request's span; a tracing failure costs the request its span, never its
	 * answer.
	 */
	private @Nullable Span startSpan(HttpServletRequest request) {
		if (this.spans == null) {
			return null;
		}
		try {
			return this.spans.start(request);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private @Nullable Scope currentSpan(Span span) {
		try {
			return this.spans.makeCurrent(span);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private void record(long start, boolean sampled, HttpServletRequest request, HttpServletResponse response,
			@Nullable Throwable failure, @Nullable Span span) {
		String method = "UNKNOWN";
		int status = 0;
		Throwable exception = null;
		String route = null;
		try {
			method = request.getMethod();
			route = route(request);
			status = response.getStatus();
			if (failure != null && !response.isCommitted()) {
				// The container will answer 500 once the exception leaves the filter
				// chain.
				status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
			}
			exception = exception(request, failure, status);
			// Sizes feed only the distributions: an unsampled request skips the header
			// look-up.
			long requestBytes = sampled ? request.getContentLengthLong() : -1;
			long responseBytes = (response instanceof CountingResponse counted) ? counted.bytesWritten() : -1;
			String user = null;
			String org = null;
			if (this.identityTags) {
				RequestIdentity identity = (request
					.getAttribute(RequestIdentityFilter.ATTRIBUTE) instanceof RequestIdentity found) ? found : null;
				IdentityLimits limits = identityLimits();
				user = limited((limits != null) ? limits.user() : null, (identity != null) ? identity.user() : null);
				org = limited((limits != null) ? limits.org() : null, (identity != null) ? identity.org() : null);
			}
			this.metrics.requestFinished(start, sampled, method, (route != null) ? route : unmatchedUri(request),
					status, (exception != null) ? simpleName(exception.getClass()) : null, requestBytes, responseBytes,
					user, org);
		}
		catch (RuntimeException ex) {
			// HttpServerMetrics never throws; this guards the servlet API calls above.
			this.metrics.requestFinished(start, "UNKNOWN", "UNKNOWN", 0, null, -1, -1);
		}
		if (span != null) {
			endSpan(span, method, route, status, exception, failure != null);
		}
	}

	private void endSpan(Span span, String method, @Nullable String route, int status, @Nullable Throwable exception,
			boolean thrown) {
		try {
			this.spans.end(span, method, route, status, exception, thrown);
		}
		catch (RuntimeException ex) {
			// Ending is what exports the span: try once more without the attributes.
			try {
				span.end();
			}
			catch (RuntimeException again) {
				// Never into the request.
			}
		}
	}

	private static @Nullable String route(HttpServletRequest request) {
		Object route = request.getAttribute(ROUTE_ATTRIBUTE);
		return (route instanceof String pattern && !FALLBACK_ROUTE.equals(pattern)) ? pattern : null;
	}

	/**
	 * The {@code uri} of a request that matched no route (404, a request rejected by a
	 * filter before dispatch, Boot's static {@code /**} fallback): the normalized path,
	 * never {@code UNKNOWN}. Only unmatched paths spend the {@code uri} budget, so a
	 * scanner's flood can never push a real route into {@code __overflow__}.
	 */
	private String unmatchedUri(HttpServletRequest request) {
		String path = request.getRequestURI();
		String contextPath = request.getContextPath();
		String normalized = this.normalizer
			.normalize(path.startsWith(contextPath) ? path.substring(contextPath.length()) : path);
		return (this.limiter != null) ? this.limiter.limit(BUDGET_METRIC, URI_TAG, normalized) : normalized;
	}

	/**
	 * A user or org value within its own budget (detailed metrics). {@code none} spends
	 * the budget like any value, here and only here, so that every HTTP family records
	 * the same value for a request; the meter filter leaves these tags alone.
	 */
	private static String limited(@Nullable TagLimit limit, @Nullable String value) {
		String tagValue = (value != null) ? value : NO_IDENTITY;
		return (limit != null) ? limit.limit(tagValue) : tagValue;
	}

	private @Nullable IdentityLimits identityLimits() {
		if (this.limiter == null) {
			return null;
		}
		IdentityLimits limits = this.identityLimits;
		if (limits == null) {
			limits = new IdentityLimits(this.limiter.tagLimit(BUDGET_METRIC, USER_TAG),
					this.limiter.tagLimit(BUDGET_METRIC, ORG_TAG));
			this.identityLimits = limits;
		}
		return limits;
	}

	private static @Nullable Throwable exception(HttpServletRequest request, @Nullable Throwable failure, int status) {
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
		return exception;
	}

	private static @Nullable Throwable throwableAttribute(HttpServletRequest request, String name) {
		return (request.getAttribute(name) instanceof Throwable throwable) ? throwable : null;
	}

	private static String simpleName(Class<?> type) {
		String name = type.getSimpleName();
		// Anonymous and local classes have no simple name; their binary name is still
		// bounded.
		return name.isEmpty() ? type.getName() : name;
	}

	/** The budgets of the {@code user} and {@code org} tags. */
	private record IdentityLimits(TagLimit user, TagLimit org) {
	}

	private final class CompletionListener implements AsyncListener {

		private final long start;

		private final boolean sampled;

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final @Nullable Span span;

		private @Nullable Throwable failure;

		CompletionListener(long start, boolean sampled, HttpServletRequest request, HttpServletResponse response,
				@Nullable Span span) {
			this.start = start;
			this.sampled = sampled;
			this.request = request;
			this.response = response;
			this.span = span;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.span == null) {
				record(this.start, this.sampled, this.request, this.response, this.failure, null);
				return;
			}
			// Current again on the completing thread, for the exemplar.
			Scope scope = currentSpan(this.span);
			try {
				record(this.start, this.sampled, this.request, this.response, this.failure, this.span);
			}
			finally {
				if (scope != null) {
					close(scope);
				}
			}
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
