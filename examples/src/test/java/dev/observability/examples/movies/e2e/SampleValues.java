package dev.observability.examples.movies.e2e;

/**
 * Parses sample values as Prometheus writes them, in the text format and in its HTTP API.
 */
final class SampleValues {

	private SampleValues() {
	}

	static double parse(String value) {
		return switch (value) {
			case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(value);
		};
	}

}
