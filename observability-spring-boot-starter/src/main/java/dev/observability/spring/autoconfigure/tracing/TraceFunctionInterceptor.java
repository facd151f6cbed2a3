package dev.observability.spring.autoconfigure.tracing;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.observability.core.tracing.FunctionSpec;
import dev.observability.core.tracing.TraceFunction;
import dev.observability.core.tracing.TracedCall;
import dev.observability.core.tracing.Tracing;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;

/**
 * Runs each call of a {@link TraceFunction @TraceFunction} method through
 * {@link Tracing#invoke}. A failure to find the method's spec or the {@link Tracing} bean
 * is logged once and the call goes on untraced; what the method itself throws reaches the
 * caller unchanged.
 */
final class TraceFunctionInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(TraceFunctionInterceptor.class);

	/** One non-capturing method reference for every call. */
	private static final TracedCall<MethodInvocation> PROCEED = MethodInvocation::proceed;

	private final TraceFunctionPointcut pointcut;

	private final Supplier<Tracing> tracing;

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	TraceFunctionInterceptor(TraceFunctionPointcut pointcut, Supplier<Tracing> tracing) {
		this.pointcut = pointcut;
		this.tracing = tracing;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		FunctionSpec spec;
		Tracing tracing;
		try {
			spec = this.pointcut.spec(invocation.getMethod(), targetClass(invocation));
			tracing = this.tracing.get();
		}
		catch (RuntimeException ex) {
			failed(invocation.getMethod(), ex);
			return invocation.proceed();
		}
		return (spec != null) ? tracing.invoke(spec, invocation, PROCEED) : invocation.proceed();
	}

	private static Class<?> targetClass(MethodInvocation invocation) {
		Object target = invocation.getThis();
		return (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
	}

	private void failed(Method method, RuntimeException ex) {
		if (this.failureLogged.compareAndSet(false, true)) {
			logger.warn("Could not trace " + method + "; it runs untraced. Further failures are not logged", ex);
		}
	}

}
