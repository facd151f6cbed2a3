package dev.observability.core.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpOutcome}.
 */
final class HttpOutcomeTests {

	@ParameterizedTest
	@CsvSource({ "100, INFORMATIONAL", "200, SUCCESS", "204, SUCCESS", "302, REDIRECTION", "404, CLIENT_ERROR",
			"499, CLIENT_ERROR", "500, SERVER_ERROR", "599, SERVER_ERROR", "0, UNKNOWN", "600, UNKNOWN",
			"99, UNKNOWN" })
	void outcomeIsTheStatusClass(int status, String outcome) {
		assertThat(HttpOutcome.of(status)).isEqualTo(outcome);
	}

}
