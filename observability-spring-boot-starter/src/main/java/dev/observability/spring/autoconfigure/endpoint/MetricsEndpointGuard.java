package dev.observability.spring.autoconfigure.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.observability.core.net.AddressRange;
import dev.observability.core.net.ConstantTimeSecret;
import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a scrape request may read the metrics. The address allowlist applies
 * first (403); then, when a token or basic credentials are configured, the request must
 * present one of them (401). Secrets are compared in constant time and never logged.
 */
final class MetricsEndpointGuard {

	enum Verdict {

		ALLOWED, UNAUTHORIZED, FORBIDDEN

	}

	private final List<AddressRange> allowedAddresses;

	private final @Nullable ConstantTimeSecret token;

	private final @Nullable String basicUsername;

	private final @Nullable ConstantTimeSecret basicPassword;

	private MetricsEndpointGuard(List<AddressRange> allowedAddresses, @Nullable ConstantTimeSecret token,
			@Nullable String basicUsername, @Nullable ConstantTimeSecret basicPassword) {
		this.allowedAddresses = allowedAddresses;
		this.token = token;
		this.basicUsername = basicUsername;
		this.basicPassword = basicPassword;
	}

	static MetricsEndpointGuard of(MetricsEndpointProperties properties) {
		List<AddressRange> ranges = new ArrayList<>();
		for (String range : properties.getAllowedAddresses()) {
			ranges.add(AddressRange.parse(range));
		}
		String token = properties.getToken();
		MetricsEndpointProperties.BasicAuth basic = properties.getBasicAuth();
		if ((basic.getUsername() == null) != (basic.getPassword() == null)) {
			String missing = (basic.getUsername() == null) ? "username" : "password";
			throw new InvalidObservabilityPropertyException("observability.metrics.endpoint.basic-auth." + missing,
					"(not set)", "a value whenever the other basic-auth credential is set");
		}
		return new MetricsEndpointGuard(List.copyOf(ranges), (token != null) ? ConstantTimeSecret.of(token) : null,
				basic.getUsername(), (basic.getPassword() != null) ? ConstantTimeSecret.of(basic.getPassword()) : null);
	}

	/**
	 * Judges a request.
	 * @param remoteAddress the client address
	 * @param authorization the Authorization header, or {@code null}
	 * @return the verdict
	 */
	Verdict check(@Nullable String remoteAddress, @Nullable String authorization) {
		if (!this.allowedAddresses.isEmpty() && !isAllowedAddress(remoteAddress)) {
			return Verdict.FORBIDDEN;
		}
		if (this.token == null && this.basicPassword == null) {
			return Verdict.ALLOWED;
		}
		return (authorization != null && hasValidCredentials(authorization)) ? Verdict.ALLOWED : Verdict.UNAUTHORIZED;
	}

	/**
	 * The challenges to send with a 401, one per configured scheme.
	 * @return {@code WWW-Authenticate} header values
	 */
	List<String> challenges() {
		List<String> challenges = new ArrayList<>(2);
		if (this.token != null) {
			challenges.add("Bearer realm=\"metrics\"");
		}
		if (this.basicPassword != null) {
			challenges.add("Basic realm=\"metrics\", charset=\"UTF-8\"");
		}
		return challenges;
	}

	private boolean isAllowedAddress(@Nullable String remoteAddress) {
		for (AddressRange range : this.allowedAddresses) {
			if (range.contains(remoteAddress)) {
				return true;
			}
		}
		return false;
	}

	private boolean hasValidCredentials(String authorization) {
		int space = authorization.indexOf(' ');
		if (space <= 0) {
			return false;
		}
		String scheme = authorization.substring(0, space);
		String credentials = authorization.substring(space + 1).trim();
		if (this.token != null && "Bearer".equalsIgnoreCase(scheme)) {
			return this.token.matches(credentials);
		}
		if (this.basicPassword != null && "Basic".equalsIgnoreCase(scheme)) {
			return matchesBasic(credentials);
		}
		return false;
	}

	private boolean matchesBasic(String encoded) {
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		int colon = decoded.indexOf(':');
		if (colon < 0 || this.basicPassword == null || this.basicUsername == null) {
			return false;
		}
		// Check both parts every time so a wrong user name takes as long as a wrong
		// password.
		boolean user = ConstantTimeSecret.of(this.basicUsername).matches(decoded.substring(0, colon));
		boolean password = this.basicPassword.matches(decoded.substring(colon + 1));
		return user & password;
	}

}
