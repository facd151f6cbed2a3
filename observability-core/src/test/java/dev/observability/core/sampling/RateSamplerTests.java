package dev.observability.core.sampling;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link RateSampler}.
 */
final class RateSamplerTests {

	private static final int DRAWS = 200_000;

	@Test
	void rateOfOneSamplesEverything() {
		RateSampler sampler = RateSampler.of(1.0);
		assertThat(sampler.samplesAll()).isTrue();
		assertThat(IntStream.range(0, DRAWS).allMatch((i) -> sampler.sample())).isTrue();
	}

	@Test
	void rateOfZeroSamplesNothing() {
		RateSampler sampler = RateSampler.of(0.0);
		assertThat(sampler.samplesAll()).isFalse();
		assertThat(IntStream.range(0, DRAWS).noneMatch((i) -> sampler.sample())).isTrue();
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.001, 0.1, 0.5, 0.9, 0.999 })
	void samplesTheGivenShare(double rate) {
		RateSampler sampler = RateSampler.of(rate);
		long sampled = IntStream.range(0, DRAWS).filter((i) -> sampler.sample()).count();
		// Binomial: five standard deviations leaves a flaky failure at about 1 in 3
		// million runs.
		double sigma = Math.sqrt(DRAWS * rate * (1 - rate));
		assertThat((double) sampled).isCloseTo(DRAWS * rate, within(5 * sigma + 1));
		assertThat(sampler.rate()).isEqualTo(rate);
		assertThat(sampler.samplesAll()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(doubles = { -0.1, 1.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
	void rejectsRatesOutsideZeroToOne(double rate) {
		assertThatIllegalArgumentException().isThrownBy(() -> RateSampler.of(rate))
			.withMessageContaining("rate must be between 0.0 and 1.0")
			.withMessageContaining(Double.toString(rate));
	}

}
