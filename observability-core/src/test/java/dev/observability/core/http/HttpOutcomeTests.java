package dev.observability.core.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpOutcome} and {@link UnmatchedUris}.
 */
final class HttpOutcomeTests {

	@ParameterizedTest
	@CsvSource({ "100, INFORMATIONAL", "200, SUCCESS", "204, SUCCESS", "302, REDIRECTION", "404, CLIENT_ERROR",
			"499, CLIENT_ERROR", "500, SERVER_ERROR", "599, SERVER_ERROR", "0, UNKNOWN", "600, UNKNOWN",
			"99, UNKNOWN" })
	void outcomeIsTheStatusClass(int status, String outcome) {
		assertThat(HttpOutcome.of(status)).isEqualTo(outcome);
	}

	@ParameterizedTest
	@CsvSource({ "/users/123, 404, NOT_FOUND", "/old, 301, REDIRECTION", "/, 200, root", "'', 200, root",
			"/users/123, 401, UNKNOWN", "/, 404, NOT_FOUND" })
	void unmatchedRequestsGetABoundedUri(String path, int status, String uri) {
		assertThat(UnmatchedUris.of(path, status)).isEqualTo(uri);
	}

}
