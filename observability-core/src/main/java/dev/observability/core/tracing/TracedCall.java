package dev.observability.core.tracing;

import org.jspecify.annotations.Nullable;

/**
 * The traced work of {@link Tracing#invoke}: a call that may throw anything, given the
 * target it works on. Passing the target as an argument lets an interceptor hand over a
 * single non-capturing method reference, such as {@code MethodInvocation::proceed},
 * instead of allocating a lambda per call.
 *
 * @param <T> the type of the target
 */
@FunctionalInterface
public interface TracedCall<T> {

	/**
	 * Runs the call.
	 * @param target what the call works on
	 * @return the call's result
	 * @throws Throwable whatever the call throws
	 */
	@Nullable Object call(T target) throws Throwable;

}
