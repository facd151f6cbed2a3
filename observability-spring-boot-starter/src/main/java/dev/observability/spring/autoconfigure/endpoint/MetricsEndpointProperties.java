package dev.observability.spring.autoconfigure.endpoint;

import java.util.ArrayList;
import java.util.List;

import dev.observability.core.net.AddressRange;
import dev.observability.spring.autoconfigure.env.InvalidObservabilityPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The scrape endpoint on the application port and its optional guards. Each guard is off
 * until configured; when several are configured, a request must pass all of them.
 */
@ConfigurationProperties("observability.metrics.endpoint")
public final class MetricsEndpointProperties {

	/**
	 * Path of the scrape endpoint on the application port.
	 */
	private String path = "/metrics";

	/**
	 * Bearer token that scrapers must send in the Authorization header. Compared in
	 * constant time, never logged.
	 */
	private @Nullable String token;

	/**
	 * HTTP basic credentials that scrapers must send.
	 */
	private final BasicAuth basicAuth = new BasicAuth();

	/**
	 * Client address ranges (CIDR, IPv4 or IPv6) allowed to scrape; others get 403. Empty
	 * allows every address.
	 */
	private List<String> allowedAddresses = new ArrayList<>();

	/**
	 * Returns the endpoint path.
	 * @return the path
	 */
	public String getPath() {
		return this.path;
	}

	/**
	 * Sets the endpoint path.
	 * @param path a path starting with '/'
	 */
	public void setPath(String path) {
		if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("*")
				|| path.chars().anyMatch(Character::isWhitespace) || path.contains("?") || path.contains("#")) {
			throw new InvalidObservabilityPropertyException("observability.metrics.endpoint.path", path,
					"a path such as /metrics: starting with '/', not ending with '/', without wildcards, spaces, '?' or '#'");
		}
		this.path = path;
	}

	/**
	 * Returns the bearer token.
	 * @return the token, or {@code null} when no token is required
	 */
	public @Nullable String getToken() {
		return this.token;
	}

	/**
	 * Sets the bearer token.
	 * @param token the token, or {@code null} when no token is required
	 */
	public void setToken(@Nullable String token) {
		if (token != null && (token.isBlank() || token.chars().anyMatch(Character::isWhitespace))) {
			throw new InvalidObservabilityPropertyException("observability.metrics.endpoint.token", "******",
					"a non-blank token without spaces, or no value to disable the token check");
		}
		this.token = token;
	}

	/**
	 * Returns the basic auth credentials.
	 * @return the credentials
	 */
	public BasicAuth getBasicAuth() {
		return this.basicAuth;
	}

	/**
	 * Returns the allowed address ranges.
	 * @return the ranges as written
	 */
	public List<String> getAllowedAddresses() {
		return this.allowedAddresses;
	}

	/**
	 * Sets the allowed address ranges.
	 * @param allowedAddresses CIDR ranges or single addresses
	 */
	public void setAllowedAddresses(List<String> allowedAddresses) {
		for (int i = 0; i < allowedAddresses.size(); i++) {
			try {
				AddressRange.parse(allowedAddresses.get(i));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidObservabilityPropertyException(
						"observability.metrics.endpoint.allowed-addresses[" + i + "]", allowedAddresses.get(i),
						"an IPv4 or IPv6 address or CIDR range such as 10.0.0.0/8, 127.0.0.1 or ::1/128");
			}
		}
		this.allowedAddresses = allowedAddresses;
	}

	/**
	 * HTTP basic credentials for the scrape endpoint.
	 */
	public static final class BasicAuth {

		/**
		 * User name that scrapers must send; set together with the password.
		 */
		private @Nullable String username;

		/**
		 * Password that scrapers must send; set together with the user name. Compared in
		 * constant time, never logged.
		 */
		private @Nullable String password;

		/**
		 * Returns the user name.
		 * @return the user name, or {@code null}
		 */
		public @Nullable String getUsername() {
			return this.username;
		}

		/**
		 * Sets the user name.
		 * @param username the user name
		 */
		public void setUsername(@Nullable String username) {
			if (username != null && (username.isEmpty() || username.contains(":"))) {
				throw new InvalidObservabilityPropertyException("observability.metrics.endpoint.basic-auth.username",
						username, "a non-empty user name without ':'");
			}
			this.username = username;
		}

		/**
		 * Returns the password.
		 * @return the password, or {@code null}
		 */
		public @Nullable String getPassword() {
			return this.password;
		}

		/**
		 * Sets the password.
		 * @param password the password
		 */
		public void setPassword(@Nullable String password) {
			if (password != null && password.isEmpty()) {
				throw new InvalidObservabilityPropertyException("observability.metrics.endpoint.basic-auth.password",
						"******", "a non-empty password");
			}
			this.password = password;
		}

	}

}
