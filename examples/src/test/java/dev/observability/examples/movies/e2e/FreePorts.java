package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback interface, so that tests never collide with each other
 * or with a Prometheus service already listening on 9090.
 */
final class FreePorts {

	private FreePorts() {
	}

	static int next() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
