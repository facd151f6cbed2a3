package dev.observability.spring.autoconfigure.env;

/**
 * Thrown at start-up when an {@code observability.*} property holds a value the starter
 * cannot use. {@link ObservabilityFailureAnalyzer} turns it into a message naming the
 * property, the value and what is allowed.
 */
public final class InvalidObservabilityPropertyException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String value;

	private final String allowed;

	/**
	 * Creates a new instance.
	 * @param property the property name, for example
	 * {@code observability.metrics.endpoint.path}
	 * @param value the offending value as the user wrote it; never pass a secret here
	 * @param allowed what the property accepts, for example
	 * {@code a path starting with '/'}
	 */
	public InvalidObservabilityPropertyException(String property, String value, String allowed) {
		super("Invalid value '" + value + "' for property '" + property + "': expected " + allowed);
		this.property = property;
		this.value = value;
		this.allowed = allowed;
	}

	/**
	 * Returns the property name.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the offending value.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Returns what the property accepts.
	 * @return a description of the allowed values
	 */
	public String getAllowed() {
		return this.allowed;
	}

}
