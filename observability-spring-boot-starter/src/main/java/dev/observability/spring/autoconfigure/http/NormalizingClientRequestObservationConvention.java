package dev.observability.spring.autoconfigure.http;

import java.net.URI;

import dev.observability.core.cardinality.CardinalityLimiter;
import dev.observability.core.normalization.PathNormalizer;
import io.micrometer.common.KeyValue;
import org.jspecify.annotations.Nullable;

import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

/**
 * Spring's client convention, except for requests made without a URI template: where
 * Spring records {@code uri="none"}, this records the normalized path
 * ({@code /users/{id}}), kept within the cardinality budget of the client metric.
 */
final class NormalizingClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

	private static final String URI_KEY = "uri";

	private final PathNormalizer normalizer;

	private final @Nullable CardinalityLimiter limiter;

	NormalizingClientRequestObservationConvention(String name, PathNormalizer normalizer,
			@Nullable CardinalityLimiter limiter) {
		super(name);
		this.normalizer = normalizer;
		this.limiter = limiter;
	}

	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		ClientHttpRequest request = context.getCarrier();
		if (context.getUriTemplate() != null || request == null) {
			return super.uri(context);
		}
		URI uri = request.getURI();
		String path = uri.getRawPath();
		if (path == null) {
			return super.uri(context);
		}
		String normalized = this.normalizer.normalize(path);
		return KeyValue.of(URI_KEY,
				(this.limiter != null) ? this.limiter.limit(getName(), URI_KEY, normalized) : normalized);
	}

}
