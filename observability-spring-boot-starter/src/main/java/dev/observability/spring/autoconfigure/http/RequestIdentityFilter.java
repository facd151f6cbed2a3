package dev.observability.spring.autoconfigure.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.observability.spring.http.RequestIdentityResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Captures who made a request for detailed metrics. The metrics filter runs before Spring
 * Security and sees the security context only after it has been cleared, so this filter
 * runs inside the chain, just after Spring Security's, and leaves the identity in a
 * request attribute for the metrics filter to read when the request ends.
 */
final class RequestIdentityFilter implements Filter {

	/** The request attribute holding the {@link RequestIdentity}. */
	static final String ATTRIBUTE = RequestIdentityFilter.class.getName() + ".identity";

	private static final Log logger = LogFactory.getLog(RequestIdentityFilter.class);

	private final RequestIdentityResolver resolver;

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	RequestIdentityFilter(RequestIdentityResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest httpRequest) {
			RequestIdentity identity = resolve(httpRequest);
			if (identity != null) {
				request.setAttribute(ATTRIBUTE, identity);
			}
		}
		chain.doFilter(request, response);
	}

	private @Nullable RequestIdentity resolve(HttpServletRequest request) {
		try {
			String user = this.resolver.user(request);
			String org = this.resolver.org(request);
			return (user != null || org != null) ? new RequestIdentity(user, org) : null;
		}
		catch (RuntimeException ex) {
			if (this.failureLogged.compareAndSet(false, true)) {
				logger.warn("RequestIdentityResolver " + this.resolver.getClass().getName()
						+ " failed; requests are recorded with user and org 'none'. Further failures are not logged.",
						ex);
			}
			return null;
		}
	}

	/**
	 * Who made a request.
	 *
	 * @param user the user, or {@code null}
	 * @param org the organisation, or {@code null}
	 */
	record RequestIdentity(@Nullable String user, @Nullable String org) {
	}

}
