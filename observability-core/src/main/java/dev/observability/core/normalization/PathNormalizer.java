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

	private final int maxSegments;

	private final Rule[] rules;

	/** No normalized path is longer: it bounds the buffer, whatever the input. */
	private final int maxLength;

	private PathNormalizer(Builder builder) {
		this.maxSegments = builder.maxSegments;
		this.rules = builder.rules.toArray(new Rule[0]);
		int longestSegment = MAX_SEGMENT_LENGTH;
		for (Rule rule : this.rules) {
			longestSegment = Math.max(longestSegment, rule.replacement.length());
		}
		this.maxLength = (int) Math.min(Integer.MAX_VALUE - 8, (long) this.maxSegments * (longestSegment + 1) + 4);
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
		int length = path.length();
		// While each segment is kept as it is, one '/' after the previous, the result is
		// the run path[runStart, runEnd), returned without allocating: the common case of
		// an unmatched path without ids (a scanner's /wp-login.php) costs one scan.
		int runStart = 0;
		int runEnd = 0;
		int segments = 0;
		int start = 0;
		int end;
		do {
			long scan = SegmentScan.scan(path, start);
			end = SegmentScan.end(scan);
			if (end > start) {
				if (++segments > this.maxSegments) {
					return new StringBuilder(runEnd - runStart + 4).append(path, runStart, runEnd)
						.append("/...")
						.toString();
				}
				String replacement = replacement(path, start, scan);
				// The first segment starts the run at the '/' before it, any later one
				// must follow the run after one '/'.
				boolean firstSegment = runStart == runEnd;
				boolean extendsRun = firstSegment ? start > 0 : start - 1 == runEnd;
				if (replacement != null || !extendsRun) {
					return rebuild(path, runStart, runEnd, start, scan, replacement, segments);
				}
				runStart = firstSegment ? start - 1 : runStart;
				runEnd = end;
			}
			start = end + 1;
		}
		while (end < length && path.charAt(end) == '/');
		if (runStart == runEnd) {
			return "/";
		}
		return (runStart == 0 && runEnd == length) ? path : path.substring(runStart, runEnd);
	}

	/**
	 * Builds the result from the run, then the segment at {@code start} that changes and
	 * every segment after it.
	 */
	private String rebuild(String path, int runStart, int runEnd, int start, long scan, @Nullable String replacement,
			int segments) {
		// Out of normalize(), where the builder would be null or not, escape analysis can
		// drop the StringBuilder: only its byte[] and the String are allocated.
		int length = path.length();
		int end = SegmentScan.end(scan);
		int first = (replacement != null) ? replacement.length() : end - start;
		StringBuilder result = new StringBuilder(
				capacity((long) (runEnd - runStart) + 1 + first + restLength(path, end)));
		result.append(path, runStart, runEnd);
		append(result, path, start, end, replacement);
		while (end < length && path.charAt(end) == '/') {
			start = end + 1;
			scan = SegmentScan.scan(path, start);
			end = SegmentScan.end(scan);
			if (end > start) {
				if (++segments > this.maxSegments) {
					return result.append("/...").toString();
				}
				append(result, path, start, end, replacement(path, start, scan));
			}
		}
		return result.toString();
	}

	private static void append(StringBuilder result, String path, int start, int end, @Nullable String replacement) {
		result.append('/');
		if (replacement != null) {
			result.append(replacement);
		}
		else {
			result.append(path, start, end);
		}
	}

	private int capacity(long expectedLength) {
		// Rounded up to what the byte[] takes anyway (8-byte alignment): room, for free,
		// for a later short id that becomes {id}.
		return ((int) Math.min(expectedLength, this.maxLength) + 7) & ~7;
	}

	/** Length from {@code from} to the query string or the end, up to maxLength. */
	private int restLength(String path, int from) {
		int limit = (int) Math.min(path.length(), (long) from + this.maxLength);
		for (int i = from; i < limit; i++) {
			char c = path.charAt(i);
			if (c == '?' || c == '#' || c == ';') {
				return i - from;
			}
		}
		return limit - from;
	}

	/** The text that replaces a segment, or {@code null} to keep it verbatim. */
	private @Nullable String replacement(String path, int start, long scan) {
		if (this.rules.length > 0) {
			String segment = path.substring(start, SegmentScan.end(scan));
			for (Rule rule : this.rules) {
				if (rule.pattern.matcher(segment).matches()) {
					return rule.replacement;
				}
			}
		}
		return SegmentScan.placeholder(path, start, scan);
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
