package dev.observability.core.tracing;

import java.lang.reflect.Method;
import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FunctionSpec}.
 */
final class FunctionSpecTests {

	@Test
	void defaultSpanNameIsSimpleClassNameAndMethod() throws Exception {
		FunctionSpec spec = spec("plain");
		assertThat(spec.spanName()).isEqualTo("Annotated.plain");
		assertThat(spec.kind()).isEqualTo(SpanKind.INTERNAL);
		assertThat(spec.attributes()).isSameAs(Attributes.empty());
	}

	@Test
	void spanNameKindAndAttributesComeFromTheAnnotation() throws Exception {
		FunctionSpec spec = spec("custom");
		assertThat(spec.spanName()).isEqualTo("quote");
		assertThat(spec.kind()).isEqualTo(SpanKind.CLIENT);
		assertThat(spec.attributes().asMap()).containsOnly(Map.entry(AttributeKey.stringKey("order.channel"), "web"),
				Map.entry(AttributeKey.stringKey("expr"), "a=b"), Map.entry(AttributeKey.stringKey("empty"), ""));
	}

	@Test
	void typeAnnotationNamesTheSpanAfterTheClassGiven() throws Exception {
		Method method = Annotated.class.getMethod("plain");
		FunctionSpec spec = FunctionSpec.of(AnnotatedType.class.getAnnotation(TraceFunction.class), AnnotatedType.class,
				method);
		assertThat(spec.spanName()).isEqualTo("AnnotatedType.plain");
		assertThat(spec.attributes().get(AttributeKey.stringKey("layer"))).isEqualTo("service");
	}

	@Test
	void anonymousClassIsNamedByItsBinaryName() throws Exception {
		Object anonymous = new Object() {
		};
		FunctionSpec spec = FunctionSpec.of(annotation("plain"), anonymous.getClass(),
				Annotated.class.getMethod("plain"));
		assertThat(spec.spanName()).isEqualTo("FunctionSpecTests$1.plain");
	}

	@Test
	void attributeWithoutSeparatorFailsNamingTheValueAndTheMethod() {
		assertThatIllegalArgumentException().isThrownBy(() -> spec("noSeparator"))
			.withMessage("Invalid @TraceFunction(attributes = \"tier\") on "
					+ "dev.observability.core.tracing.FunctionSpecTests$Annotated.noSeparator: "
					+ "each attribute must be \"key=value\" with a non-empty key");
	}

	@Test
	void attributeWithoutKeyFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> spec("noKey"))
			.withMessageContaining("attributes = \" =gold\"")
			.withMessageContaining("Annotated.noKey");
	}

	@Test
	void repeatedAttributeKeyFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> spec("repeated"))
			.withMessageContaining("attributes = \"tier=silver\"")
			.withMessageContaining("attribute \"tier\" repeats");
	}

	@Test
	void blankSpanNameFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> spec("blank"))
			.withMessageContaining("spanName = \" \"")
			.withMessageContaining("a span name must not be blank");
	}

	private static FunctionSpec spec(String methodName) throws NoSuchMethodException {
		Method method = Annotated.class.getMethod(methodName);
		return FunctionSpec.of(method.getAnnotation(TraceFunction.class), Annotated.class, method);
	}

	private static TraceFunction annotation(String methodName) throws NoSuchMethodException {
		return Annotated.class.getMethod(methodName).getAnnotation(TraceFunction.class);
	}

	static class Annotated {

		@TraceFunction
		public void plain() {
		}

		@TraceFunction(spanName = "quote", kind = SpanKind.CLIENT,
				attributes = { "order.channel=web", " expr = a=b", "empty=" })
		public void custom() {
		}

		@TraceFunction(attributes = "tier")
		public void noSeparator() {
		}

		@TraceFunction(attributes = " =gold")
		public void noKey() {
		}

		@TraceFunction(attributes = { "tier=gold", "tier=silver" })
		public void repeated() {
		}

		@TraceFunction(spanName = " ")
		public void blank() {
		}

	}

	@TraceFunction(attributes = "layer=service")
	static class AnnotatedType {

	}

}
