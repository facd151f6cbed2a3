package dev.observability.core.http;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * Every HTTP server meter the starter emits, described once. This enum is the single
 * source for the metric catalogue ({@code docs/metrics.md}) and for the names that
 * dashboards and rules may use.
 */
public enum HttpServerMeters implements MeterDocumentation {

	/**
	 * Duration of HTTP server requests, with histogram buckets. Exposed as
	 * {@code http_server_requests_seconds_{bucket,count,sum}} and {@code _max}.
	 */
	REQUESTS {
		@Override
		public String getName() {
			return "http.server.requests";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { HttpServerKeys.METHOD, HttpServerKeys.URI, HttpServerKeys.STATUS,
					HttpServerKeys.OUTCOME, HttpServerKeys.EXCEPTION };
		}
	},

	/**
	 * Number of HTTP server requests in flight. Exposed as
	 * {@code http_server_requests_active}.
	 */
	ACTIVE_REQUESTS {
		@Override
		public String getName() {
			return "http.server.requests.active";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}
	},

	/**
	 * Size of HTTP request bodies as declared by {@code Content-Length}. Exposed as
	 * {@code http_server_request_size_bytes_*}.
	 */
	REQUEST_SIZE {
		@Override
		public String getName() {
			return "http.server.request.size";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.DISTRIBUTION_SUMMARY;
		}

		@Override
		public String getBaseUnit() {
			return "bytes";
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { HttpServerKeys.METHOD, HttpServerKeys.URI };
		}
	},

	/**
	 * Size of HTTP response bodies as written by the application. Exposed as
	 * {@code http_server_response_size_bytes_*}.
	 */
	RESPONSE_SIZE {
		@Override
		public String getName() {
			return "http.server.response.size";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.DISTRIBUTION_SUMMARY;
		}

		@Override
		public String getBaseUnit() {
			return "bytes";
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { HttpServerKeys.METHOD, HttpServerKeys.URI };
		}
	},

	/**
	 * Exceptions that ended an HTTP server request, by type. Exposed as
	 * {@code http_server_exceptions_total}.
	 */
	EXCEPTIONS {
		@Override
		public String getName() {
			return "http.server.exceptions";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { HttpServerKeys.METHOD, HttpServerKeys.URI, HttpServerKeys.EXCEPTION };
		}
	};

	/**
	 * Tag keys of the HTTP server meters; every value is bounded.
	 */
	public enum HttpServerKeys implements KeyName {

		/** Request method, or {@code UNKNOWN} for a non-standard method. */
		METHOD("method"),

		/** Route template, or a bounded stand-in when no route matched. */
		URI("uri"),

		/** Response status code. */
		STATUS("status"),

		/**
		 * Status class: {@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR}...
		 */
		OUTCOME("outcome"),

		/** Simple class name of the exception that ended the request, or {@code none}. */
		EXCEPTION("exception");

		private final String key;

		HttpServerKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
