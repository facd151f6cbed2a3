package dev.observability.examples.movies.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * What the {@code e2e} Maven profile hands to the end-to-end tests as system properties:
 * the packaged example jar, the {@code prometheus} and {@code promtool} binaries, the
 * Zipkin server's exec jar, and where child process output goes.
 * <p>
 * A missing binary skips the tests that need it, saying so, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs it and its absence fails the build.
 */
final class E2eSettings {

	private E2eSettings() {
	}

	static Path exampleJar() {
		String jar = System.getProperty("e2e.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("No example jar at e2e.jar=" + jar
					+ "; run the end-to-end tests with ./mvnw verify -Pe2e, which packages it first");
		}
		return Path.of(jar).toAbsolutePath();
	}

	static Path zipkinServerJar() {
		String jar = System.getProperty("e2e.zipkin");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("No Zipkin server jar at e2e.zipkin=" + jar
					+ "; run the end-to-end tests with ./mvnw verify -Pe2e, which copies it from Maven Central first");
		}
		return Path.of(jar).toAbsolutePath();
	}

	static String prometheus() {
		return executable("e2e.prometheus", "prometheus");
	}

	static String promtool() {
		return executable("e2e.promtool", "promtool");
	}

	static Path logDirectory() {
		return Path.of(System.getProperty("e2e.logs", "target/e2e-logs")).toAbsolutePath();
	}

	static String java() {
		// The JDK that runs the tests also runs the app, so a build on another JDK tests
		// that JDK.
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Resolves a binary up front, so that a missing one is reported with advice rather
	 * than as an {@code IOException} from {@code ProcessBuilder}. A bare name is looked
	 * up on the {@code PATH}.
	 */
	private static String executable(String property, String defaultName) {
		String name = System.getProperty(property, defaultName);
		if (name.contains(File.separator)) {
			if (Files.isRegularFile(Path.of(name)) && Files.isExecutable(Path.of(name))) {
				return name;
			}
		}
		else {
			for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
				Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath().toString();
				}
			}
		}
		String message = "No executable '" + name + "' (system property " + property
				+ "): install it (Debian: apt-get install prometheus) or pass -D" + property + "=/path/to/"
				+ defaultName;
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(message);
		}
		System.err.println("Skipping: " + message);
		return Assumptions.abort(message);
	}

}
