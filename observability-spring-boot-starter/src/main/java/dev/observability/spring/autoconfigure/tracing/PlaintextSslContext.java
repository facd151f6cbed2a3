package dev.observability.spring.autoconfigure.tracing;

import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.jspecify.annotations.Nullable;

/**
 * The {@link SSLContext} of an HTTP client that only ever speaks plain {@code http://}.
 * <p>
 * A JDK {@code HttpClient} built without a context takes {@link SSLContext#getDefault()},
 * which loads the JSSE provider and parses the JDK's trust store: about 250 classes and a
 * noticeable share of an application's start-up, for a client that never uses TLS. This
 * context costs nothing to create; should anything ask it for TLS, it fails with a
 * message that names the endpoint.
 */
final class PlaintextSslContext extends SSLContext {

	/** Trusts no certificate: a plain connection has none. */
	static final X509TrustManager TRUST_NONE = new TrustNone();

	/**
	 * Creates the context of a client of one plain-HTTP endpoint.
	 * @param endpoint the endpoint, named by the error of any use of TLS
	 */
	PlaintextSslContext(String endpoint) {
		super(new PlaintextSpi(endpoint), null, "plaintext");
	}

	private static final class PlaintextSpi extends SSLContextSpi {

		private final String endpoint;

		PlaintextSpi(String endpoint) {
			this.endpoint = endpoint;
		}

		private IllegalStateException noTls() {
			return new IllegalStateException("TLS is not set up for the plain-HTTP exporter endpoint '" + this.endpoint
					+ "'; use an https:// endpoint to export over TLS");
		}

		@Override
		protected void engineInit(KeyManager @Nullable [] keyManagers, TrustManager @Nullable [] trustManagers,
				@Nullable SecureRandom random) {
			throw noTls();
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			throw noTls();
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			throw noTls();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			throw noTls();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			throw noTls();
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			throw noTls();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			throw noTls();
		}

		// The JDK's HTTP client copies the default parameters when it is built.
		@Override
		protected SSLParameters engineGetDefaultSSLParameters() {
			return new SSLParameters();
		}

		@Override
		protected SSLParameters engineGetSupportedSSLParameters() {
			return new SSLParameters();
		}

	}

	private static final class TrustNone implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("No certificate is trusted on a plain-HTTP exporter connection");
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("No certificate is trusted on a plain-HTTP exporter connection");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
