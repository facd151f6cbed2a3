package dev.observability.spring.autoconfigure.tracing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for {@link PlaintextSslContext} in the JDK's own HTTP client, against a real
 * loopback server.
 */
final class PlaintextSslContextTests {

	private HttpServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/v1/traces", (exchange) -> {
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	private String endpoint(String scheme) {
		return scheme + "://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	@Test
	void theJdkClientSpeaksPlainHttpWithIt() throws Exception {
		String endpoint = endpoint("http");
		HttpClient client = HttpClient.newBuilder().sslContext(new PlaintextSslContext(endpoint)).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("ok");
	}

	@Test
	void anyUseOfTlsFailsNamingTheEndpoint() {
		String endpoint = endpoint("http");
		PlaintextSslContext context = new PlaintextSslContext(endpoint);
		HttpClient client = HttpClient.newBuilder().sslContext(context).build();
		Throwable failure = catchThrowable(() -> client.send(
				HttpRequest.newBuilder(URI.create(endpoint("https"))).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.discarding()));
		assertThat(rootCause(failure)).isInstanceOf(IllegalStateException.class)
			.hasMessage("TLS is not set up for the plain-HTTP exporter endpoint '" + endpoint
					+ "'; use an https:// endpoint to export over TLS");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(context::getSocketFactory)
			.withMessageContaining(endpoint);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(context::createSSLEngine)
			.withMessageContaining(endpoint);
	}

	@Test
	void trustsNoCertificate() {
		X509Certificate[] none = new X509Certificate[0];
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> PlaintextSslContext.TRUST_NONE.checkServerTrusted(none, "RSA"));
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> PlaintextSslContext.TRUST_NONE.checkClientTrusted(none, "RSA"));
		assertThat(PlaintextSslContext.TRUST_NONE.getAcceptedIssuers()).isEmpty();
	}

	private static Throwable rootCause(Throwable failure) {
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
