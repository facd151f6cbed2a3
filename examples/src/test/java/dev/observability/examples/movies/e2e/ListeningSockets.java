package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc} as {@code ss
 * -ltnp} reads them: the socket inodes among the process's file descriptors, looked up in
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Reading, not connecting, tells which
 * addresses a server is bound to without sending anything off the loopback interface.
 */
final class ListeningSockets {

	private static final String LISTEN = "0A";

	private ListeningSockets() {
	}

	/**
	 * The listening sockets of a process; skips the calling test where there is no
	 * {@code /proc}.
	 * @param pid the process
	 * @return their local addresses, an IPv4-mapped IPv6 address as the IPv4 address
	 */
	static List<InetSocketAddress> of(long pid) throws IOException {
		Path descriptors = Path.of("/proc", Long.toString(pid), "fd");
		Assumptions.assumeTrue(Files.isDirectory(descriptors), "no " + descriptors + " (not Linux?)");
		Set<String> inodes = socketInodes(descriptors);
		List<InetSocketAddress> listening = new ArrayList<>();
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII)) {
				// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt
				// uid timeout inode ...
				String[] fields = line.trim().split("\\s+");
				if (fields.length > 9 && LISTEN.equals(fields[3]) && inodes.contains(fields[9])) {
					listening.add(address(fields[1]));
				}
			}
		}
		return listening;
	}

	private static Set<String> socketInodes(Path descriptors) throws IOException {
		Set<String> inodes = new HashSet<>();
		try (DirectoryStream<Path> links = Files.newDirectoryStream(descriptors)) {
			for (Path link : links) {
				try {
					String target = Files.readSymbolicLink(link).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring("socket:[".length(), target.length() - 1));
					}
				}
				catch (IOException ex) {
					// Closed since the directory was listed.
				}
			}
		}
		return inodes;
	}

	/**
	 * Parses {@code ADDRESS:PORT} in hex, the address as 32-bit words in host (little
	 * endian) byte order.
	 */
	private static InetSocketAddress address(String hex) throws IOException {
		int colon = hex.indexOf(':');
		byte[] words = HexFormat.of().parseHex(hex.substring(0, colon));
		byte[] address = new byte[words.length];
		for (int word = 0; word < words.length; word += 4) {
			for (int i = 0; i < 4; i++) {
				address[word + i] = words[word + 3 - i];
			}
		}
		// getByAddress turns an IPv4-mapped IPv6 address into the IPv4 address.
		return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(hex.substring(colon + 1), 16));
	}

}
