package dev.observability.spring.autoconfigure.http;

import dev.observability.spring.http.RequestIdentityResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The default identity when Spring Security is present: the name of the authenticated,
 * non-anonymous principal of the current security context; no organisation.
 */
final class SecurityContextIdentityResolver implements RequestIdentityResolver {

	@Override
	public @Nullable String user(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		return authentication.getName();
	}

}
