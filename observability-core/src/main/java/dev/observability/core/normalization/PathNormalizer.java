package dev.observability.core.normalization;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * Normalizes request paths that matched no route, so that {@code /users/123} and
 * {@code /users/456} share the series {@code /users/{id}}.
 * <p>
 * Each segment is classified on its own: numbers become {@code {id}}, UUIDs
 * {@code {uuid}}, dates ({@code 2024-01-31...}) {@code {date}}, e-mail addresses
 * {@code {email}}, hex strings of 16 or more characters {@code {hash}}, JWTs and other
 * long opaque tokens {@code {token}}. The query string and fragment are dropped, empty
 * segments collapse, and past {@code maxSegments} segments the rest becomes {@code /...}.
 * Custom rules run first, each matching a whole segment. The work per path is bounded by
 * {@code maxSegments}, whatever the input's length.
 * <p>
 * Usage: <pre>{@code
 * PathNormalizer normalizer = PathNormalizer.builder()
 *     .maxSegments(5)
 *     .rule("[a-z]{2}-[A-Z]{2}", "{locale}")
 *     .build();
 * normalizer.normalize("/en-GB/users/123?tab=2"); // "/{locale}/users/{id}"
 * }</pre> Normalizing never throws for any input.
 */
public final class PathNormalizer {

	/** Longer segments are never kept verbatim. */
	static final int MAX_SEGMENT_LENGTH = 64;

	private static final int MIN_HASH_LENGTH = 16;

	private static final int MIN_TOKEN_LENGTH = 20;

	private final int maxSegments;

	private final Rule[] rules;

	private PathNormalizer(Builder builder) {
		this.maxSegments = builder.maxSegments;
		this.rules = builder.rules.toArray(new Rule[0]);
	}

	/**
	 * Returns a normalizer with the default settings (5 segments, no custom rules).
	 * @return a normalizer
	 */
	public static PathNormalizer create() {
		return builder().build();
	}

	/**
	 * Starts a builder.
	 * @return a builder with the defaults
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Normalizes a path.
	 * @param path a raw request path, possibly with a query string
	 * @return the normalized path, starting with {@code /}
	 */
	public String normalize(String path) {
		int end = endOfPath(path);
		// While nothing had to change, the result is path[0, cleanEnd) and nothing is
		// allocated: the
		// common case of an unmatched path without ids (a scanner's /wp-login.php) costs
		// one scan.
		StringBuilder result = null;
		int cleanEnd = 0;
		int segments = 0;
		int start = 0;
		while (start < end) {
			int slash = path.indexOf('/', start);
			int segmentEnd = (slash < 0 || slash > end) ? end : slash;
			if (segmentEnd > start) {
				if (++segments > this.maxSegments) {
					result = (result != null) ? result : prefix(path, cleanEnd, end);
					return result.append("/...").toString();
				}
				String replacement = replacement(path, start, segmentEnd);
				if (result == null && replacement == null && start == cleanEnd + 1 && path.charAt(cleanEnd) == '/') {
					cleanEnd = segmentEnd;
				}
				else {
					result = (result != null) ? result : prefix(path, cleanEnd, end);
					result.append('/');
					if (replacement != null) {
						result.append(replacement);
					}
					else {
						result.append(path, start, segmentEnd);
					}
				}
			}
			start = segmentEnd + 1;
		}
		if (result != null) {
			return result.toString();
		}
		if (cleanEnd == 0) {
			return "/";
		}
		return (cleanEnd == path.length()) ? path : path.substring(0, cleanEnd);
	}

	private static StringBuilder prefix(String path, int cleanEnd, int end) {
		return new StringBuilder(end + 8).append(path, 0, cleanEnd);
	}

	/** The text that replaces a segment, or {@code null} to keep it verbatim. */
	private @Nullable String replacement(String path, int start, int end) {
		if (this.rules.length > 0) {
			String segment = path.substring(start, end);
			for (Rule rule : this.rules) {
				if (rule.pattern.matcher(segment).matches()) {
					return rule.replacement;
				}
			}
		}
		return placeholder(path, start, end);
	}

	private static int endOfPath(String path) {
		int end = path.length();
		for (int i = 0; i < end; i++) {
			char c = path.charAt(i);
			if (c == '?' || c == '#' || c == ';') {
				return i;
			}
		}
		return end;
	}

	/** Classifies one segment with a single scan; {@code null} keeps it verbatim. */
	private static @Nullable String placeholder(String path, int start, int end) {
		int length = end - start;
		// Shapes with fixed positions first: they are decided without scanning the whole
		// segment.
		if (length == 36 && path.charAt(start + 8) == '-' && isUuid(path, start)) {
			return "{uuid}";
		}
		if (length >= 10 && path.charAt(start + 4) == '-' && isDate(path, start)) {
			return "{date}";
		}
		int digits = 0;
		int hex = 0;
		int letters = 0;
		int tokenChars = 0;
		int dots = 0;
		int at = -1;
		for (int i = start; i < end; i++) {
			char c = path.charAt(i);
			if (c >= '0' && c <= '9') {
				digits++;
				hex++;
			}
			else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
				hex++;
				letters++;
			}
			else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
				letters++;
			}
			else if (c == '@') {
				at = (at < 0) ? i : -2;
			}
			else if (c == '.') {
				dots++;
			}
			else if (c == '-' || c == '_' || c == '+' || c == '=' || c == '~') {
				tokenChars++;
			}
		}
		if (digits == length) {
			return "{id}";
		}
		if (at > start && at < end - 1 && path.indexOf('.', at) > at && path.indexOf('.', at) < end - 1) {
			return "{email}";
		}
		if (hex == length && length >= MIN_HASH_LENGTH && digits > 0) {
			return "{hash}";
		}
		boolean opaque = digits + letters + tokenChars + dots == length;
		if (opaque && length >= MIN_TOKEN_LENGTH && digits > 0 && letters > 0) {
			// JWTs (three base64url parts) and API keys: long, mixed letters and digits.
			return "{token}";
		}
		if (length > MAX_SEGMENT_LENGTH) {
			return "{token}";
		}
		return null;
	}

	private static boolean isUuid(String path, int start) {
		for (int i = 0; i < 36; i++) {
			char c = path.charAt(start + i);
			boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
			if (dash != (c == '-') || (!dash && !isHex(c))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isHex(char c) {
		char lower = (char) (c | 0x20);
		return (c >= '0' && c <= '9') || (lower >= 'a' && lower <= 'f');
	}

	/** {@code yyyy-mm-dd}, optionally followed by a time. */
	private static boolean isDate(String path, int start) {
		for (int i = 0; i < 10; i++) {
			char c = path.charAt(start + i);
			boolean dash = i == 4 || i == 7;
			if (dash ? c != '-' : (c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

	private record Rule(Pattern pattern, String replacement) {
	}

	/**
	 * Builds a {@link PathNormalizer}.
	 */
	public static final class Builder {

		private int maxSegments = 5;

		private final List<Rule> rules = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Sets how many segments are kept before the rest becomes {@code /...}.
		 * @param maxSegments at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxSegments} is less than 1
		 */
		public Builder maxSegments(int maxSegments) {
			if (maxSegments < 1) {
				throw new IllegalArgumentException("maxSegments must be at least 1, got " + maxSegments);
			}
			this.maxSegments = maxSegments;
			return this;
		}

		/**
		 * Adds a custom rule: a segment matching {@code regex} entirely is replaced by
		 * {@code replacement}. Custom rules run before the built-in ones, in the order
		 * added.
		 * @param regex a Java regular expression matched against one whole segment
		 * @param replacement the text that stands for the segment, for example
		 * {@code {locale}}
		 * @return this builder
		 * @throws IllegalArgumentException if the regex is invalid, or the replacement is
		 * empty or contains {@code /}
		 */
		public Builder rule(String regex, String replacement) {
			Objects.requireNonNull(regex, "regex must not be null");
			Objects.requireNonNull(replacement, "replacement must not be null");
			Pattern pattern;
			try {
				pattern = Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						"Invalid normalization pattern '" + regex + "': " + ex.getDescription(), ex);
			}
			if (replacement.isEmpty() || replacement.indexOf('/') >= 0) {
				throw new IllegalArgumentException("Invalid normalization replacement '" + replacement
						+ "': must be non-empty and contain no '/'");
			}
			this.rules.add(new Rule(pattern, replacement));
			return this;
		}

		/**
		 * Builds the normalizer.
		 * @return the normalizer
		 */
		public PathNormalizer build() {
			return new PathNormalizer(this);
		}

	}

}
