package dev.observability.spring.autoconfigure.env;

import java.net.URI;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Checks shared by the {@code *Properties} classes, each failing with an
 * {@link InvalidObservabilityPropertyException} that names the property.
 */
public final class PropertyChecks {

	private PropertyChecks() {
	}

	/**
	 * Checks a count or budget.
	 * @param property the property name, for the message
	 * @param value the value bound to it
	 * @return {@code value}
	 * @throws InvalidObservabilityPropertyException if {@code value} is below 1
	 */
	public static int atLeastOne(String property, int value) {
		if (value < 1) {
			throw new InvalidObservabilityPropertyException(property, Integer.toString(value),
					"a whole number of 1 or more");
		}
		return value;
	}

	/**
	 * Checks an endpoint URL.
	 * @param property the property name, for the message
	 * @param url the value bound to it
	 * @return the URL without surrounding blanks, or {@code null} when none is set
	 * @throws InvalidObservabilityPropertyException if {@code url} is set and is not an
	 * http:// or https:// URL with a host
	 */
	public static @Nullable String httpUrl(String property, @Nullable String url) {
		if (url == null || url.isBlank()) {
			return null;
		}
		if (isHttpUrl(url)) {
			return url.trim();
		}
		throw new InvalidObservabilityPropertyException(property, url,
				"an http:// or https:// URL with a host, such as http://localhost:4318");
	}

	/**
	 * Returns whether a value is an http:// or https:// URL with a host.
	 * @param value the value, blanks around it allowed
	 * @return {@code false} for {@code null}, blank or any other value
	 */
	public static boolean isHttpUrl(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return false;
		}
		try {
			URI uri = URI.create(value.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
