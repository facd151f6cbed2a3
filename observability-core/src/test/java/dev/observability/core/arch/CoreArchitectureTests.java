package dev.observability.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.observability.core.http.HttpServerMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps {@code observability-core} framework-free.
 */
final class CoreArchitectureTests {

	private final JavaClasses core = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.observability.core");

	@Test
	void importsTheCoreClasses() {
		assertThat(this.core.contain(HttpServerMetrics.class)).isTrue();
	}

	@Test
	void coreImportsNothingFromSpring() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(this.core);
	}

	@Test
	void coreImportsNoOtherModuleOfOurs() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.observability.spring..", "dev.observability.celery..",
					"dev.observability.examples..")
			.check(this.core);
	}

}
