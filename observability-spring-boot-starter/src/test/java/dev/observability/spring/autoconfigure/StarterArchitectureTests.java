package dev.observability.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Architecture rules of the starter, checked with ArchUnit on its main classes.
 */
final class StarterArchitectureTests {

	private static final String IMPORTS = "META-INF/spring/"
			+ "org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.observability.spring");

	@Test
	void autoConfigurationsArePublicAndFinal() {
		ArchRule rule = classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL);
		rule.check(CLASSES);
	}

	@Test
	void beanMethodsAreNotPublic() {
		ArchRule rule = methods().that().areAnnotatedWith(Bean.class).should().notBePublic();
		rule.check(CLASSES);
	}

	@Test
	void nestedConfigurationsAreStaticWithoutBeanMethodProxies() {
		ArchRule rule = classes().that()
			.areAnnotatedWith(Configuration.class)
			.and()
			.areNestedClasses()
			.should()
			.haveModifier(JavaModifier.STATIC)
			.andShould(notProxyBeanMethods());
		rule.check(CLASSES);
	}

	@Test
	void conditionalOnClassIsOnlyUsedOnClasses() {
		ArchRule rule = noMethods().should().beAnnotatedWith(ConditionalOnClass.class);
		rule.check(CLASSES);
	}

	@Test
	void starterDoesNotDependOnExamples() {
		ArchRule rule = noClasses().that()
			.resideInAPackage("dev.observability.spring..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.observability.examples..");
		rule.check(CLASSES);
	}

	@Test
	void everyAutoConfigurationIsRegisteredAndEveryRegisteredClassIsAnAutoConfiguration() throws IOException {
		List<String> annotated = CLASSES.stream()
			.filter((javaClass) -> javaClass.isAnnotatedWith(AutoConfiguration.class))
			.map(JavaClass::getName)
			.sorted()
			.toList();
		assertThat(annotated).isNotEmpty();
		assertThat(registeredAutoConfigurations()).containsExactlyInAnyOrderElementsOf(annotated);
	}

	private static List<String> registeredAutoConfigurations() throws IOException {
		try (InputStream imports = StarterArchitectureTests.class.getClassLoader().getResourceAsStream(IMPORTS)) {
			assertThat(imports).as(IMPORTS).isNotNull();
			return Arrays.stream(new String(imports.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
				.map(String::trim)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
	}

	private static ArchCondition<JavaClass> notProxyBeanMethods() {
		return new ArchCondition<>("have @Configuration(proxyBeanMethods = false)") {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean proxies = javaClass.getAnnotationOfType(Configuration.class).proxyBeanMethods();
				events.add(new SimpleConditionEvent(javaClass, !proxies,
						javaClass.getName() + " has proxyBeanMethods = " + proxies));
			}

		};
	}

}
