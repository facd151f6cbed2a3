package dev.observability.spring.autoconfigure.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain HTTP/1.1 requests to a test server on 127.0.0.1, with bounded timeouts.
 */
public final class SampleHttpClient {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final int port;

	/**
	 * Creates a client for the server on the given port.
	 * @param port the server port
	 */
	public SampleHttpClient(int port) {
		this.port = port;
	}

	/**
	 * Sends a GET request.
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the response with its body as bytes
	 */
	public HttpResponse<byte[]> get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Sends a GET request and decodes the body as UTF-8.
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the body
	 */
	public String getText(String path, String... headers) {
		return new String(get(path, headers).body(), StandardCharsets.UTF_8);
	}

	/**
	 * Scrapes {@code /metrics} until the text holds the expected fragment, for at most 5
	 * seconds: a request is recorded after its response may already have reached the
	 * client.
	 * @param expected the fragment
	 * @return the last scrape, which holds it
	 */
	public String awaitScrapeContaining(String expected) {
		String[] last = new String[1];
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			last[0] = getText("/metrics");
			assertThat(last[0]).contains(expected);
		});
		return last[0];
	}

}
