package dev.observability.spring.autoconfigure.cardinality;

/**
 * Distinct path segments made of letters only, which normalization keeps as they are.
 */
final class Segments {

	private Segments() {
	}

	/**
	 * Spells a number in base 26 with the letters a to z.
	 * @param number a non-negative number
	 * @return a distinct segment per number
	 */
	static String letters(int number) {
		StringBuilder letters = new StringBuilder();
		int rest = number;
		do {
			letters.append((char) ('a' + rest % 26));
			rest /= 26;
		}
		while (rest > 0);
		return letters.toString();
	}

}
