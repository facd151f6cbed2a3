package dev.observability.core.tracing;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/**
 * What {@link TraceFunction @TraceFunction} asks for on one method, read and checked
 * once: the span name, its kind and its static attributes. Build it when the method is
 * first inspected (an interceptor's set-up, a proxy's creation) and keep it, so that a
 * call does no parsing and a bad annotation fails there rather than in a call.
 */
public final class FunctionSpec {

	private final String spanName;

	private final SpanKind kind;

	private final Attributes attributes;

	/**
	 * The attributes again, as two lists read by index: setting them on a span one by one
	 * needs neither an iterator nor the capturing lambda of
	 * {@code Span.setAllAttributes}.
	 */
	private final List<AttributeKey<String>> attributeKeys;

	private final List<String> attributeValues;

	private FunctionSpec(String spanName, SpanKind kind, Map<AttributeKey<String>, String> attributes) {
		this.spanName = spanName;
		this.kind = kind;
		this.attributes = toAttributes(attributes);
		this.attributeKeys = List.copyOf(attributes.keySet());
		this.attributeValues = List.copyOf(attributes.values());
	}

	/**
	 * Reads an annotation found on a method or on its type.
	 * @param annotation the annotation
	 * @param type the class whose method is called (the user class, not a proxy); its
	 * simple name starts the default span name
	 * @param method the method
	 * @return the spec
	 * @throws IllegalArgumentException if an attribute is not {@code "key=value"}, a key
	 * repeats, or the span name is blank but not empty; the message names the annotation
	 * value and the method
	 */
	public static FunctionSpec of(TraceFunction annotation, Class<?> type, Method method) {
		Objects.requireNonNull(annotation, "annotation");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(method, "method");
		String spanName = annotation.spanName();
		if (spanName.isEmpty()) {
			spanName = simpleName(type) + "." + method.getName();
		}
		else if (spanName.isBlank()) {
			throw invalid("spanName = \"" + spanName + "\"", type, method, "a span name must not be blank");
		}
		return new FunctionSpec(spanName, annotation.kind(), attributes(annotation.attributes(), type, method));
	}

	private static Map<AttributeKey<String>, String> attributes(String[] entries, Class<?> type, Method method) {
		Map<AttributeKey<String>, String> attributes = new LinkedHashMap<>();
		for (String entry : entries) {
			int separator = entry.indexOf('=');
			String key = (separator > 0) ? entry.substring(0, separator).trim() : "";
			if (key.isEmpty()) {
				throw invalid("attributes = \"" + entry + "\"", type, method,
						"each attribute must be \"key=value\" with a non-empty key");
			}
			if (attributes.putIfAbsent(AttributeKey.stringKey(key), entry.substring(separator + 1).trim()) != null) {
				throw invalid("attributes = \"" + entry + "\"", type, method, "attribute \"" + key + "\" repeats");
			}
		}
		return attributes;
	}

	private static Attributes toAttributes(Map<AttributeKey<String>, String> attributes) {
		if (attributes.isEmpty()) {
			return Attributes.empty();
		}
		AttributesBuilder builder = Attributes.builder();
		for (Map.Entry<AttributeKey<String>, String> attribute : attributes.entrySet()) {
			builder.put(attribute.getKey(), attribute.getValue());
		}
		return builder.build();
	}

	private static IllegalArgumentException invalid(String value, Class<?> type, Method method, String reason) {
		return new IllegalArgumentException(
				"Invalid @TraceFunction(" + value + ") on " + type.getName() + "." + method.getName() + ": " + reason);
	}

	/**
	 * Anonymous and local classes have an empty simple name; their binary name is used.
	 */
	private static String simpleName(Class<?> type) {
		String simpleName = type.getSimpleName();
		if (!simpleName.isEmpty()) {
			return simpleName;
		}
		String name = type.getName();
		return name.substring(name.lastIndexOf('.') + 1);
	}

	/**
	 * Returns the span name.
	 * @return the annotation's span name, or {@code SimpleClassName.methodName}
	 */
	public String spanName() {
		return this.spanName;
	}

	/**
	 * Returns the span kind.
	 * @return the kind
	 */
	public SpanKind kind() {
		return this.kind;
	}

	/**
	 * Returns the static attributes.
	 * @return the attributes, possibly empty
	 */
	public Attributes attributes() {
		return this.attributes;
	}

	/**
	 * Sets the static attributes on a started span, one by one: this allocates nothing
	 * beyond what the span stores.
	 * @param span the span
	 */
	void setAttributes(Span span) {
		for (int i = 0; i < this.attributeKeys.size(); i++) {
			span.setAttribute(this.attributeKeys.get(i), this.attributeValues.get(i));
		}
	}

	@Override
	public String toString() {
		return "FunctionSpec[spanName=" + this.spanName + ", kind=" + this.kind + ", attributes=" + this.attributes
				+ "]";
	}

}
