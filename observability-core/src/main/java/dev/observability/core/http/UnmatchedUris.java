package dev.observability.core.http;

/**
 * Bounded {@code uri} values for requests that matched no route, so that a scanner probing random
 * paths cannot create a series per path.
 */
public final class UnmatchedUris {

	/** The {@code uri} of a request for the root path that matched no route. */
	public static final String ROOT = "root";

	/** The {@code uri} of an unmatched request answered with 404. */
	public static final String NOT_FOUND = "NOT_FOUND";

	/** The {@code uri} of an unmatched request answered with a redirect. */
	public static final String REDIRECTION = "REDIRECTION";

	/** The {@code uri} of any other unmatched request. */
	public static final String UNKNOWN = "UNKNOWN";

	private UnmatchedUris() {
	}

	/**
	 * Returns the {@code uri} tag of a request that matched no route.
	 * @param path the request path, without context path or query
	 * @param status the response status
	 * @return one of the constants of this class
	 */
	public static String of(String path, int status) {
		if (status == 404) {
			return NOT_FOUND;
		}
		if (status >= 300 && status < 400) {
			return REDIRECTION;
		}
		if (path.isEmpty() || "/".equals(path)) {
			return ROOT;
		}
		return UNKNOWN;
	}

}
