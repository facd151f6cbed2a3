package dev.observability.spring.http;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Tells who made an HTTP request, for the {@code user} and {@code org} tags of detailed
 * metrics ({@code observability.metrics.detailed.enabled=true}). Declare a bean of this
 * type to replace the default, which takes the authenticated principal's name from Spring
 * Security (or the servlet container) and no organisation.
 * <p>
 * It is called once per request, on the request thread, inside the filter chain just
 * after Spring Security's, so the security context is available; requests rejected before
 * that point (a 401) are recorded with {@code none}. Values beyond the budgets
 * ({@code observability.metrics.detailed.max-users} and {@code .max-orgs}) are recorded
 * as {@code __overflow__}. An exception thrown here is logged once and the request is
 * recorded with {@code none}; it never reaches the application.
 * <p>
 * Example, with the tenant in a JWT claim: <pre>{@code
 * &#64;Bean
 * RequestIdentityResolver tenantIdentity() {
 *     return new RequestIdentityResolver() {
 *         public String user(HttpServletRequest request) {
 *             return (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
 *         }
 *         public String org(HttpServletRequest request) {
 *             return request.getHeader("X-Tenant");
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RequestIdentityResolver {

	/**
	 * Returns the user who made the request.
	 * @param request the request, as the application's filters see it
	 * @return a bounded identifier such as a user name, or {@code null} for none
	 */
	@Nullable String user(HttpServletRequest request);

	/**
	 * Returns the organisation (tenant, account) the request belongs to.
	 * @param request the request, as the application's filters see it
	 * @return a bounded identifier, or {@code null} for none (the default)
	 */
	default @Nullable String org(HttpServletRequest request) {
		return null;
	}

}
