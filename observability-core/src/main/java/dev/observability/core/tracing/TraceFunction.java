package dev.observability.core.tracing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.opentelemetry.api.trace.SpanKind;

/**
 * Traces each call of a method: one span per call, the caller's span as its parent.
 * <p>
 * A failed call records its exception on the span and sets the status to error; the
 * exception itself reaches the caller unchanged. A method that returns a
 * {@link java.util.concurrent.CompletionStage CompletionStage} (such as a
 * {@code CompletableFuture}) has its span ended when the stage completes, not when the
 * method returns.
 *
 * <pre class="code">
 * &#64;TraceFunction(attributes = "order.channel=web")
 * public Receipt placeOrder(Order order) { ... }  // span "OrderService.placeOrder"
 *
 * &#64;TraceFunction(spanName = "quote", kind = SpanKind.CLIENT)
 * public CompletableFuture&lt;Quote&gt; quote(Cart cart) { ... }
 * </pre>
 *
 * On a type, every public method of the type is traced. Something has to act on the
 * annotation: the Spring Boot starter proxies annotated beans (so, as with
 * {@code @Transactional}, a call from within the same bean and a private method are not
 * traced); elsewhere an interceptor calls {@link Tracing#invoke Tracing.invoke} with the
 * {@link FunctionSpec#of FunctionSpec} of the method.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface TraceFunction {

	/**
	 * Name of the span; empty for {@code SimpleClassName.methodName}. Keep it low
	 * cardinality: it names an operation, not one call of it.
	 * @return the span name, or empty for the default
	 */
	String spanName() default "";

	/**
	 * Attributes set on every span of the method, each as {@code "key=value"} (split at
	 * the first {@code '='}, both sides trimmed). They are read once, when the method is
	 * first inspected, and an entry without a key fails there rather than in a call.
	 * <p>
	 * They are set once the span has started, and only when it records: a call that is
	 * sampled out costs nothing for them. The trade-off is that a sampler (and a span
	 * processor's {@code onStart}) does not see them, so sampling cannot depend on them;
	 * the starter's sampling rules read only HTTP server attributes, which function spans
	 * do not carry.
	 * @return the static attributes
	 */
	String[] attributes() default {};

	/**
	 * Kind of the span: {@code INTERNAL} for work inside the process, {@code CLIENT} for
	 * a method that wraps a call to another service.
	 * @return the span kind
	 */
	SpanKind kind() default SpanKind.INTERNAL;

}
