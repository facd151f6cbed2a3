package dev.observability.spring.autoconfigure.tracing;

import dev.observability.core.tracing.TraceFunction;
import dev.observability.core.tracing.Tracing;
import dev.observability.spring.autoconfigure.condition.ConditionalOnEnabledObservability;
import io.opentelemetry.api.OpenTelemetry;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * Function tracing: the {@link Tracing} facade as a bean, and a span for each call of a
 * {@link TraceFunction @TraceFunction} method of a bean.
 * <p>
 * The facade works on the application's {@link OpenTelemetry} bean, and is the no-op
 * facade when there is none, when tracing is off ({@code management.tracing.enabled},
 * which {@code observability.tracing.*} drives) or when {@code observability.enabled} is
 * {@code false}, so that code that injects it always starts. The annotation is acted on
 * by an infrastructure advisor that Spring's auto-proxy creator applies with or without
 * AspectJ; {@code observability.tracing.trace-function.enabled=false} removes it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass(OpenTelemetry.class)
public final class TraceFunctionAutoConfiguration {

	static final String ENABLED = "observability.tracing.trace-function.enabled";

	@Bean
	@ConditionalOnMissingBean
	Tracing observabilityTracing(ObjectProvider<OpenTelemetry> openTelemetry, Environment environment) {
		Binder binder = Binder.get(environment);
		if (!isOn(binder, "observability.enabled") || !isOn(binder, "management.tracing.enabled")) {
			return Tracing.noop();
		}
		OpenTelemetry available = openTelemetry.getIfAvailable();
		return (available != null) ? Tracing.create(available) : Tracing.noop();
	}

	private static boolean isOn(Binder binder, String name) {
		return binder.bind(name, Boolean.class).orElse(true);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledObservability(ENABLED)
	@Import(AutoProxyCreatorRegistrar.class)
	static class TraceFunctionAdvisorConfiguration {

		/**
		 * Static and with a lazy {@code Tracing}: auto-proxy creators look advisors up
		 * before other beans exist, and must not pull OpenTelemetry in that early.
		 */
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor traceFunctionAdvisor(ObjectProvider<Tracing> tracing) {
			TraceFunctionPointcut pointcut = new TraceFunctionPointcut();
			SingletonSupplier<Tracing> supplier = SingletonSupplier.of(() -> tracing.getIfAvailable(Tracing::noop));
			return new DefaultPointcutAdvisor(pointcut, new TraceFunctionInterceptor(pointcut, supplier));
		}

	}

	/**
	 * Makes sure an auto-proxy creator exists, as {@code @EnableCaching} does: Spring
	 * Boot's AOP auto-configuration registers one too (and decides whether it proxies
	 * classes), but not with {@code spring.aop.auto=false}, nor with
	 * {@code spring.aop.proxy-target-class=false} and no AspectJ.
	 */
	static class AutoProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
		}

	}

}
