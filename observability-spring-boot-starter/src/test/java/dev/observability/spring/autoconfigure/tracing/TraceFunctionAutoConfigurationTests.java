package dev.observability.spring.autoconfigure.tracing;

import dev.observability.core.tracing.TraceFunction;
import dev.observability.core.tracing.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TraceFunctionAutoConfiguration}'s conditions.
 */
final class TraceFunctionAutoConfigurationTests {

	private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
		.setTracerProvider(SdkTracerProvider.builder().build())
		.build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TraceFunctionAutoConfiguration.class))
		.withBean(Greeter.class);

	@AfterEach
	void closeOpenTelemetry() {
		this.openTelemetry.close();
	}

	@Test
	void autoConfiguresTheAdvisorAndANoopFacadeWithoutOpenTelemetry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Tracing.class);
			assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.noop());
			assertThat(context).hasSingleBean(Advisor.class);
			assertThat(AopUtils.isCglibProxy(context.getBean(Greeter.class))).isTrue();
			assertThat(context.getBean(Greeter.class).greet("Ada")).isEqualTo("Hello Ada");
		});
	}

	@Test
	void facadeUsesTheOpenTelemetryBean() {
		this.contextRunner.withBean(OpenTelemetry.class, () -> this.openTelemetry).run((context) -> {
			Tracing tracing = context.getBean(Tracing.class);
			assertThat(tracing).isNotSameAs(Tracing.noop());
			assertThat(tracing.isEnabled()).isTrue();
		});
	}

	@Test
	void worksWithoutAspectJ() {
		assertThat(ClassUtils.isPresent("org.aspectj.weaver.Advice", null)).as("AspectJ on the test class path")
			.isFalse();
		this.contextRunner.run((context) -> assertThat(AopUtils.isAopProxy(context.getBean(Greeter.class))).isTrue());
	}

	@Test
	void backsOffFromProxyingWhenSwitchedOff() {
		this.contextRunner.withBean(OpenTelemetry.class, () -> this.openTelemetry)
			.withPropertyValues("observability.tracing.trace-function.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(Advisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(Greeter.class))).isFalse();
				assertThat(context.getBean(Tracing.class).isEnabled()).isTrue();
			});
	}

	@Test
	void backsOffAndKeepsANoopFacadeWhenObservabilityIsOff() {
		this.contextRunner.withBean(OpenTelemetry.class, () -> this.openTelemetry)
			.withPropertyValues("observability.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(Advisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(Greeter.class))).isFalse();
				assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.noop());
			});
	}

	@Test
	void facadeIsNoopWhenTracingIsOff() {
		this.contextRunner.withBean(OpenTelemetry.class, () -> this.openTelemetry)
			.withPropertyValues("management.tracing.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(Tracing.class)).isSameAs(Tracing.noop());
				assertThat(context).hasSingleBean(Advisor.class);
			});
	}

	@Test
	void allowsCustomTracingToBeUsed() {
		Tracing custom = Tracing.create(this.openTelemetry.getTracer("custom"));
		this.contextRunner.withBean(Tracing.class, () -> custom).run((context) -> {
			assertThat(context).hasSingleBean(Tracing.class);
			assertThat(context.getBean(Tracing.class)).isSameAs(custom);
		});
	}

	@Test
	void switchThatIsNotABooleanFailsStartNamingTheProperty() {
		this.contextRunner.withPropertyValues("observability.tracing.trace-function.enabled=sometimes")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("observability.tracing.trace-function.enabled")
				.rootCause()
				.hasMessage("Invalid boolean value 'sometimes'"));
	}

	@Test
	void invalidAnnotationFailsStartNamingTheValueAndTheMethod() {
		this.contextRunner.withBean(Misconfigured.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("@TraceFunction(attributes = \"tier\")")
				.hasMessageContaining(Misconfigured.class.getName() + ".place"));
	}

	static class Greeter {

		@TraceFunction
		public String greet(String name) {
			return "Hello " + name;
		}

	}

	static class Misconfigured {

		@TraceFunction
		public void check() {
		}

		@TraceFunction
		public void confirm() {
		}

		@TraceFunction(attributes = "tier")
		public void place() {
		}

	}

}
