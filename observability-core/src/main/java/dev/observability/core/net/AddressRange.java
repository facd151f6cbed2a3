package dev.observability.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A range of IPv4 or IPv6 client addresses in CIDR notation ({@code 10.0.0.0/8},
 * {@code ::1/128}) or a single address. Parsing never resolves host names: only address
 * literals are accepted.
 * <p>
 * Usage: <pre>{@code
 * AddressRange prometheus = AddressRange.parse("10.0.0.0/8");
 * boolean allowed = prometheus.contains(request.getRemoteAddr());
 * }</pre>
 */
public final class AddressRange {

	private final String text;

	private final byte[] network;

	private final int prefixLength;

	private AddressRange(String text, byte[] network, int prefixLength) {
		this.text = text;
		this.network = network;
		this.prefixLength = prefixLength;
	}

	/**
	 * Parses a CIDR range or a single address.
	 * @param cidr for example {@code 192.168.0.0/16}, {@code 127.0.0.1} or
	 * {@code fd00::/8}
	 * @return the range
	 * @throws IllegalArgumentException naming the value and the expected form when it is
	 * not valid
	 */
	public static AddressRange parse(String cidr) {
		String trimmed = cidr.trim();
		int slash = trimmed.indexOf('/');
		String addressPart = (slash >= 0) ? trimmed.substring(0, slash) : trimmed;
		byte[] address = literal(addressPart);
		if (address == null) {
			throw invalid(cidr, "'" + addressPart + "' is not an IPv4 or IPv6 address literal");
		}
		int maxPrefix = address.length * 8;
		int prefix = maxPrefix;
		if (slash >= 0) {
			String prefixPart = trimmed.substring(slash + 1);
			try {
				prefix = Integer.parseInt(prefixPart);
			}
			catch (NumberFormatException ex) {
				throw invalid(cidr, "prefix length '" + prefixPart + "' is not a number");
			}
			if (prefix < 0 || prefix > maxPrefix) {
				throw invalid(cidr, "prefix length must be between 0 and " + maxPrefix);
			}
		}
		return new AddressRange(trimmed, mask(address, prefix), prefix);
	}

	/**
	 * Tells whether an address lies in this range.
	 * @param address an address literal such as {@code ServletRequest.getRemoteAddr()}
	 * returns
	 * @return {@code false} for anything that is not an address literal or lies outside
	 */
	public boolean contains(@Nullable String address) {
		if (address == null) {
			return false;
		}
		byte[] candidate = literal(address);
		return candidate != null && candidate.length == this.network.length
				&& Arrays.equals(mask(candidate, this.prefixLength), this.network);
	}

	@Override
	public String toString() {
		return this.text;
	}

	private static IllegalArgumentException invalid(String cidr, String reason) {
		return new IllegalArgumentException(
				"Invalid address range '" + cidr + "': " + reason + " (expected CIDR such as 10.0.0.0/8 or ::1/128)");
	}

	private static byte @Nullable [] literal(String text) {
		if (text.isEmpty()) {
			return null;
		}
		if (text.indexOf(':') >= 0) {
			return ipv6(text);
		}
		return ipv4(text);
	}

	private static byte @Nullable [] ipv4(String text) {
		byte[] bytes = new byte[4];
		int part = 0;
		int value = -1;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= '0' && c <= '9') {
				value = ((value < 0) ? 0 : value * 10) + (c - '0');
				if (value > 255) {
					return null;
				}
			}
			else if (c == '.' && value >= 0 && part < 3) {
				bytes[part++] = (byte) value;
				value = -1;
			}
			else {
				return null;
			}
		}
		if (part != 3 || value < 0) {
			return null;
		}
		bytes[3] = (byte) value;
		return bytes;
	}

	private static byte @Nullable [] ipv6(String text) {
		String literal = (text.startsWith("[") && text.endsWith("]")) ? text.substring(1, text.length() - 1) : text;
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			// Only hex digits, colons, dots (embedded IPv4) and a zone id; never a host
			// name.
			if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) {
				return null;
			}
		}
		try {
			// A string containing ':' is parsed as an IPv6 literal, never looked up; an
			// IPv4-mapped
			// address comes back as IPv4, so ::ffff:10.0.0.1 matches 10.0.0.0/8.
			InetAddress parsed = InetAddress.getByName(literal);
			return parsed.getAddress();
		}
		catch (UnknownHostException | SecurityException ex) {
			return null;
		}
	}

	private static byte[] mask(byte[] address, int prefixLength) {
		byte[] masked = new byte[address.length];
		for (int i = 0; i < address.length; i++) {
			int bits = Math.min(8, Math.max(0, prefixLength - i * 8));
			int byteMask = (bits == 0) ? 0 : (0xFF << (8 - bits)) & 0xFF;
			masked[i] = (byte) (address[i] & byteMask);
		}
		return masked;
	}

}
