package dev.observability.spring.autoconfigure.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Adds up how many bytes a sequence of characters takes once encoded, one character at a
 * time and without encoding anything: exact for UTF-8 (a surrogate pair is 4 bytes) and
 * single-byte charsets, and for UTF-16 (2 bytes per char; a byte-order mark is not
 * counted).
 */
final class ByteCounter {

	private enum Encoding {

		UTF_8, SINGLE_BYTE, TWO_BYTES

	}

	private final Encoding encoding;

	private long bytes;

	private ByteCounter(Encoding encoding) {
		this.encoding = encoding;
	}

	static ByteCounter forCharset(String name) {
		Charset charset;
		try {
			charset = Charset.forName(name);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			// The container would refuse the writer first; count as UTF-8 if it did not.
			return new ByteCounter(Encoding.UTF_8);
		}
		if (charset.equals(StandardCharsets.UTF_8)) {
			return new ByteCounter(Encoding.UTF_8);
		}
		if (charset.name().startsWith("UTF-16")) {
			return new ByteCounter(Encoding.TWO_BYTES);
		}
		// Other charsets in use for HTTP bodies (ISO-8859-x, windows-125x, US-ASCII) take
		// one byte per char.
		return new ByteCounter(
				(charset.newEncoder().maxBytesPerChar() <= 1.0f) ? Encoding.SINGLE_BYTE : Encoding.UTF_8);
	}

	void add(char c) {
		this.bytes += switch (this.encoding) {
			case SINGLE_BYTE -> 1;
			case TWO_BYTES -> 2;
			// A surrogate pair encodes to 4 bytes: 2 for each half.
			case UTF_8 -> (c < 0x80) ? 1 : (c < 0x800 || Character.isSurrogate(c)) ? 2 : 3;
		};
	}

	long bytes() {
		return this.bytes;
	}

	void reset() {
		this.bytes = 0;
	}

}
