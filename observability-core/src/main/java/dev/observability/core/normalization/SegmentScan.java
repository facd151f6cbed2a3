package dev.observability.core.normalization;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One pass over a path segment that finds where it ends and classifies it on the way.
 * <p>
 * Each ASCII character has classes, one bit each, folded with {@code |} over the segment:
 * positive bits tell that some character is a digit, a letter or {@code @}; "not" bits
 * that some character is not a digit, a hex digit, and so on. The result is packed in a
 * {@code long} so that scanning allocates nothing.
 */
final class SegmentScan {

	private static final int MIN_HASH_LENGTH = 16;

	private static final int MIN_TOKEN_LENGTH = 20;

	private static final int UUID_LENGTH = 36;

	private static final int DATE_LENGTH = 10;

	private static final int DIGIT = 1;

	private static final int LETTER = 1 << 1;

	private static final int AT = 1 << 2;

	private static final int NOT_DIGIT = 1 << 3;

	private static final int NOT_HEX = 1 << 4;

	/** Not a digit, letter or {@code -_+=~.}: what JWTs and API keys are made of. */
	private static final int NOT_OPAQUE = 1 << 5;

	/** Not a hex digit or {@code -}. */
	private static final int NOT_UUID = 1 << 6;

	/** {@code /}, and {@code ?#;} that start what is not path. */
	private static final int SEPARATOR = 1 << 7;

	/** Any other character, ASCII or not. */
	private static final int OTHER = NOT_DIGIT | NOT_HEX | NOT_OPAQUE | NOT_UUID;

	/** Above the folded bits: {@code -} is counted, not folded, for the UUID check. */
	private static final int DASH_SHIFT = 8;

	private static final int[] CHARACTER_CLASSES = characterClasses();

	private SegmentScan() {
	}

	/**
	 * Scans the segment at {@code start} up to the next {@code /}, {@code ?}, {@code #}
	 * or {@code ;}, or the end of the path.
	 * @param path the path
	 * @param start where the segment starts
	 * @return the scan: the segment's end in bits 0-31, its classes in 32-39, its number
	 * of {@code -} (up to 255) in 40-47
	 */
	static long scan(String path, int start) {
		int length = path.length();
		int classes = 0;
		int dashes = 0;
		int chars = 0;
		int end = start;
		for (; end < length; end++) {
			char c = path.charAt(end);
			// Masked rather than range-checked, which is faster: a non-ASCII character
			// gets the classes of another, corrected after the loop.
			int charClasses = CHARACTER_CLASSES[c & 0x7F];
			if ((charClasses & SEPARATOR) != 0 && c < 128) {
				break;
			}
			classes |= charClasses;
			dashes += charClasses >>> DASH_SHIFT;
			chars |= c;
		}
		if (chars >= 128) {
			classes |= OTHER;
		}
		return ((long) Math.min(dashes, 255) << 40) | ((long) (classes & 0xFF) << 32) | end;
	}

	/**
	 * Returns where the scanned segment ends.
	 * @param scan a scan
	 * @return the index of the separator after the segment, or the path's length
	 */
	static int end(long scan) {
		return (int) scan;
	}

	/**
	 * Classifies the scanned segment.
	 * @param path the path
	 * @param start where the segment starts
	 * @param scan its scan
	 * @return the placeholder that replaces the segment, or {@code null} to keep it
	 */
	static @Nullable String placeholder(String path, int start, long scan) {
		int end = end(scan);
		int classes = (int) (scan >>> 32) & 0xFF;
		int length = end - start;
		if (length == UUID_LENGTH && isUuid(path, start, scan)) {
			return "{uuid}";
		}
		if (length >= DATE_LENGTH && path.charAt(start + 4) == '-' && isDate(path, start)) {
			return "{date}";
		}
		if ((classes & NOT_DIGIT) == 0) {
			return "{id}";
		}
		if ((classes & AT) != 0 && isEmail(path, start, end)) {
			return "{email}";
		}
		boolean hasDigit = (classes & DIGIT) != 0;
		if (length >= MIN_HASH_LENGTH && (classes & NOT_HEX) == 0 && hasDigit) {
			return "{hash}";
		}
		if (length >= MIN_TOKEN_LENGTH && (classes & NOT_OPAQUE) == 0 && hasDigit && (classes & LETTER) != 0) {
			// JWTs (three base64url parts) and API keys: long, mixed letters and digits.
			return "{token}";
		}
		if (length > PathNormalizer.MAX_SEGMENT_LENGTH) {
			return "{token}";
		}
		return null;
	}

	/** Hex digits with exactly four {@code -}, at 8, 13, 18 and 23. */
	private static boolean isUuid(String path, int start, long scan) {
		int classes = (int) (scan >>> 32) & 0xFF;
		int dashes = (int) (scan >>> 40);
		return (classes & NOT_UUID) == 0 && dashes == 4 && path.charAt(start + 8) == '-'
				&& path.charAt(start + 13) == '-' && path.charAt(start + 18) == '-' && path.charAt(start + 23) == '-';
	}

	/** {@code yyyy-mm-dd}, optionally followed by a time. */
	private static boolean isDate(String path, int start) {
		for (int i = 0; i < DATE_LENGTH; i++) {
			char c = path.charAt(start + i);
			boolean dash = i == 4 || i == 7;
			if (dash ? c != '-' : (c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	/** One {@code @}, not first, and after it a {@code .} that is not last. */
	private static boolean isEmail(String path, int start, int end) {
		int at = -1;
		for (int i = start; i < end; i++) {
			if (path.charAt(i) == '@') {
				// As it always was: a second '@' rules the segment out, a third counts.
				at = (at < 0) ? i : -2;
			}
		}
		if (at <= start) {
			return false;
		}
		for (int i = at + 1; i < end - 1; i++) {
			if (path.charAt(i) == '.') {
				return true;
			}
		}
		return false;
	}

	private static int[] characterClasses() {
		int[] classes = new int[128];
		Arrays.fill(classes, OTHER);
		for (char c = '0'; c <= '9'; c++) {
			classes[c] = DIGIT;
		}
		for (char c = 'a'; c <= 'z'; c++) {
			int hex = (c <= 'f') ? 0 : NOT_HEX | NOT_UUID;
			classes[c] = LETTER | NOT_DIGIT | hex;
			classes[Character.toUpperCase(c)] = LETTER | NOT_DIGIT | hex;
		}
		for (char c : "_+=~.".toCharArray()) {
			classes[c] = NOT_DIGIT | NOT_HEX | NOT_UUID;
		}
		classes['-'] = NOT_DIGIT | NOT_HEX | (1 << DASH_SHIFT);
		classes['@'] = AT | OTHER;
		for (char c : "/?#;".toCharArray()) {
			classes[c] = SEPARATOR;
		}
		return classes;
	}

}
