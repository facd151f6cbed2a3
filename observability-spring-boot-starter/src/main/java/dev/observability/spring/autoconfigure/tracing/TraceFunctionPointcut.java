package dev.observability.spring.autoconfigure.tracing;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.observability.core.tracing.FunctionSpec;
import dev.observability.core.tracing.TraceFunction;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Matches the methods that {@link TraceFunction @TraceFunction} traces: annotated methods
 * (on the class, a superclass or an interface), and the public methods of an annotated
 * type.
 * <p>
 * The first time a class is asked about, all its methods are read at once, so that every
 * annotation of a bean is checked while its proxy is created: a bad one fails the
 * application's start, never a call. The interceptor then finds a method's
 * {@link FunctionSpec} with two look-ups that allocate nothing.
 */
final class TraceFunctionPointcut extends StaticMethodMatcherPointcut {

	/** Per target class, its traced methods. */
	private final Map<Class<?>, Map<Method, FunctionSpec>> specs = new ConcurrentHashMap<>();

	TraceFunctionPointcut() {
		// Skips java.* and other classes that cannot carry the annotation, at no cost.
		setClassFilter((type) -> AnnotationUtils.isCandidateClass(type, TraceFunction.class));
	}

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		return spec(method, targetClass) != null;
	}

	/**
	 * Returns the spec of a method called on an instance of a class.
	 * @param method the called method, possibly declared by an interface
	 * @param targetClass the class of the target
	 * @return the spec, or {@code null} if the method is not traced
	 * @throws IllegalArgumentException if an annotation of the class is invalid
	 */
	@Nullable FunctionSpec spec(Method method, Class<?> targetClass) {
		Map<Method, FunctionSpec> methods = this.specs.get(targetClass);
		if (methods == null) {
			methods = this.specs.computeIfAbsent(targetClass, TraceFunctionPointcut::readAll);
		}
		return methods.get(method);
	}

	/** The methods that proxy creation asks about: the class's and its interfaces'. */
	private static Map<Method, FunctionSpec> readAll(Class<?> targetClass) {
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		Set<Class<?>> types = new LinkedHashSet<>();
		types.add(userClass);
		types.addAll(ClassUtils.getAllInterfacesForClassAsSet(userClass));
		Map<Method, FunctionSpec> specs = new HashMap<>();
		for (Class<?> type : types) {
			for (Method method : ReflectionUtils.getAllDeclaredMethods(type)) {
				FunctionSpec spec = specs.containsKey(method) ? null : read(method, userClass);
				if (spec != null) {
					specs.put(method, spec);
				}
			}
		}
		return specs.isEmpty() ? Map.of() : Map.copyOf(specs);
	}

	private static @Nullable FunctionSpec read(Method method, Class<?> userClass) {
		if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
			return null;
		}
		Method specific = AopUtils.getMostSpecificMethod(method, userClass);
		TraceFunction annotation = AnnotatedElementUtils.findMergedAnnotation(specific, TraceFunction.class);
		if (annotation == null && Modifier.isPublic(specific.getModifiers())) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(userClass, TraceFunction.class);
		}
		return (annotation != null) ? FunctionSpec.of(annotation, userClass, specific) : null;
	}

}
