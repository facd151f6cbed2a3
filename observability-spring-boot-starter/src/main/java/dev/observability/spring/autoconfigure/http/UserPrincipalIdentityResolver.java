package dev.observability.spring.autoconfigure.http;

import java.security.Principal;

import dev.observability.spring.http.RequestIdentityResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The default identity without Spring Security: the servlet container's authenticated
 * principal, if any; no organisation.
 */
final class UserPrincipalIdentityResolver implements RequestIdentityResolver {

	@Override
	public @Nullable String user(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

}
