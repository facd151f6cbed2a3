package dev.observability.spring.autoconfigure.sample;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 GET requests pipelined on one keep-alive connection to a test server on
 * 127.0.0.1: a batch of requests is written at once, then the responses are read in
 * order. Much cheaper per request than a general-purpose client, for tests that send
 * hundreds of thousands of requests.
 */
public final class PipelinedHttpClient implements Closeable {

	private static final int TIMEOUT_MILLIS = 10_000;

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	/**
	 * Connects to the server on the given port.
	 * @param port the server port
	 * @throws IOException if the connection fails
	 */
	public PipelinedHttpClient(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setSoTimeout(TIMEOUT_MILLIS);
		this.socket.setTcpNoDelay(true);
		this.out = new BufferedOutputStream(this.socket.getOutputStream(), 64 * 1024);
		this.in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
	}

	/**
	 * Sends one GET request per path and reads the responses.
	 * @param paths the paths, each starting with {@code /}
	 * @return the response statuses, in the order of the paths
	 * @throws IOException if the connection fails or closes early
	 */
	public int[] get(List<String> paths) throws IOException {
		for (String path : paths) {
			this.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		}
		this.out.flush();
		int[] statuses = new int[paths.size()];
		for (int i = 0; i < statuses.length; i++) {
			statuses[i] = readResponse();
		}
		return statuses;
	}

	private int readResponse() throws IOException {
		String statusLine = readLine();
		if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
			throw new IOException("Not an HTTP/1.1 status line: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		long length = 0;
		boolean chunked = false;
		for (String header = readLine(); !header.isEmpty(); header = readLine()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring("content-length:".length()).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (chunked) {
			skipChunks();
		}
		else {
			this.in.skipNBytes(length);
		}
		return status;
	}

	private void skipChunks() throws IOException {
		for (long size = chunkSize(); size > 0; size = chunkSize()) {
			this.in.skipNBytes(size);
			readLine();
		}
		while (!readLine().isEmpty()) {
			// trailers
		}
	}

	private long chunkSize() throws IOException {
		String line = readLine();
		int extension = line.indexOf(';');
		return Long.parseLong(((extension < 0) ? line : line.substring(0, extension)).trim(), 16);
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int c = this.in.read(); c != '\n'; c = this.in.read()) {
			if (c < 0) {
				throw new EOFException("Connection closed after '" + line + "'");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
