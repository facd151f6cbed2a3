package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP/1.1 requests with bounded timeouts, to the app, Prometheus and Zipkin on
 * 127.0.0.1.
 */
final class LoopbackHttp {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private LoopbackHttp() {
	}

	/**
	 * GETs a URI.
	 * @param uri the URI
	 * @param headers header names and values, alternating
	 * @return the response, whatever its status
	 */
	static HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * POSTs a JSON document.
	 * @param uri the URI
	 * @param json the request body
	 * @return the response, whatever its status
	 */
	static HttpResponse<String> postJson(URI uri, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(REQUEST_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
