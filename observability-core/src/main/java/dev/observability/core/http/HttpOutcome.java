package dev.observability.core.http;

/**
 * The {@code outcome} tag: the class of an HTTP status, named as Spring names it so
 * existing dashboards keep working.
 */
public final class HttpOutcome {

	private HttpOutcome() {
	}

	/**
	 * Returns the outcome of a status code.
	 * @param status the HTTP status code
	 * @return {@code INFORMATIONAL}, {@code SUCCESS}, {@code REDIRECTION},
	 * {@code CLIENT_ERROR}, {@code SERVER_ERROR} or {@code UNKNOWN}
	 */
	public static String of(int status) {
		if (status >= 100 && status < 200) {
			return "INFORMATIONAL";
		}
		if (status >= 200 && status < 300) {
			return "SUCCESS";
		}
		if (status >= 300 && status < 400) {
			return "REDIRECTION";
		}
		if (status >= 400 && status < 500) {
			return "CLIENT_ERROR";
		}
		if (status >= 500 && status < 600) {
			return "SERVER_ERROR";
		}
		return "UNKNOWN";
	}

}
