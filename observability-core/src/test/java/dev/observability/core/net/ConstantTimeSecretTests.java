package dev.observability.core.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ConstantTimeSecret}.
 */
final class ConstantTimeSecretTests {

	@Test
	void matchesOnlyTheExactSecret() {
		ConstantTimeSecret secret = ConstantTimeSecret.of("s3cr3t-token");
		assertThat(secret.matches("s3cr3t-token")).isTrue();
		assertThat(secret.matches("s3cr3t-toke")).isFalse();
		assertThat(secret.matches("s3cr3t-token ")).isFalse();
		assertThat(secret.matches("")).isFalse();
		assertThat(secret.matches("S3CR3T-TOKEN")).isFalse();
	}

	@Test
	void neverPrintsTheSecret() {
		assertThat(ConstantTimeSecret.of("s3cr3t-token").toString()).doesNotContain("s3cr3t");
	}

	@Test
	void rejectsAnEmptySecret() {
		assertThatIllegalArgumentException().isThrownBy(() -> ConstantTimeSecret.of(""));
	}

}
