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
	 * Duration of every HTTP server request. Exposed as
	 * {@code http_server_requests_seconds_{bucket,count,sum}} and {@code _max}; when
	 * requests are sampled, without buckets (the histogram moves to
	 * {@link #SAMPLED_REQUESTS}) so that count and sum stay exact.
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

		@Override
		public KeyName[] getAdditionalKeyNames() {
			return HttpServerKeys.identity();
		}
	},

	/**
	 * Latency histogram of the sampled HTTP server requests, present only when requests
	 * are sampled (a rate below 1). Exposed as
	 * {@code http_server_requests_sampled_seconds_{bucket,count,sum}} and {@code _max};
	 * its counts are a sample, the exact ones are {@link #REQUESTS}'.
	 */
	SAMPLED_REQUESTS {
		@Override
		public String getName() {
			return "http.server.requests.sampled";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return REQUESTS.getKeyNames();
		}

		@Override
		public KeyName[] getAdditionalKeyNames() {
			return HttpServerKeys.identity();
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

		@Override
		public KeyName[] getAdditionalKeyNames() {
			return HttpServerKeys.identity();
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

		@Override
		public KeyName[] getAdditionalKeyNames() {
			return HttpServerKeys.identity();
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

		@Override
		public KeyName[] getAdditionalKeyNames() {
			return HttpServerKeys.identity();
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
		EXCEPTION("exception"),

		/**
		 * The authenticated user, or {@code none}; only with detailed metrics, within its
		 * own cardinality budget.
		 */
		USER("user"),

		/**
		 * The user's organisation (tenant), or {@code none}; only with detailed metrics,
		 * within its own cardinality budget.
		 */
		ORG("org");

		/** The keys that detailed metrics add to every meter with a {@code uri}. */
		static KeyName[] identity() {
			return new KeyName[] { USER, ORG };
		}

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
