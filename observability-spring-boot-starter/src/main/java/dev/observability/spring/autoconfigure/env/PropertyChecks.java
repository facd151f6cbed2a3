package dev.observability.spring.autoconfigure.env;

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

}
