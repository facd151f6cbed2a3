package dev.observability.core.sampling;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether one unit of work (a request, a task) is sampled, with a fixed
 * probability. A decision costs one thread-local random number and allocates nothing;
 * rates of exactly 0 and 1 do not even draw one.
 * <p>
 * Decisions are independent random draws rather than "every n-th": periodic traffic (a
 * health check every tenth request) cannot alias with the sample.
 */
public final class RateSampler {

	private static final RateSampler ALWAYS = new RateSampler(1.0);

	private static final RateSampler NEVER = new RateSampler(0.0);

	/** 2^53: the resolution of a random double in [0, 1). */
	private static final double SCALE = 0x1.0p53;

	private final double rate;

	/** A draw of 53 random bits is sampled when it is below this bound. */
	private final long bound;

	private RateSampler(double rate) {
		this.rate = rate;
		this.bound = (long) (rate * SCALE);
	}

	/**
	 * Returns a sampler for a rate.
	 * @param rate the probability that a unit of work is sampled, from 0.0 to 1.0
	 * @return the sampler
	 * @throws IllegalArgumentException if {@code rate} is not a number between 0.0 and
	 * 1.0
	 */
	public static RateSampler of(double rate) {
		if (!(rate >= 0.0 && rate <= 1.0)) {
			throw new IllegalArgumentException("rate must be between 0.0 and 1.0, got " + rate);
		}
		if (rate == 1.0) {
			return ALWAYS;
		}
		return (rate == 0.0) ? NEVER : new RateSampler(rate);
	}

	/**
	 * Returns the sampling rate.
	 * @return the probability that a unit of work is sampled
	 */
	public double rate() {
		return this.rate;
	}

	/**
	 * Whether every unit of work is sampled.
	 * @return {@code true} for a rate of 1.0
	 */
	public boolean samplesAll() {
		return this.rate == 1.0;
	}

	/**
	 * Decides for one unit of work.
	 * @return {@code true} if it is sampled
	 */
	public boolean sample() {
		if (this == ALWAYS) {
			return true;
		}
		if (this == NEVER) {
			return false;
		}
		return (ThreadLocalRandom.current().nextLong() >>> 11) < this.bound;
	}

	@Override
	public String toString() {
		return "RateSampler[rate=" + this.rate + "]";
	}

}
