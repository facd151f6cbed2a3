package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics}, which reads an exposition on stdin.
 * <p>
 * Its exit codes (Prometheus {@code cmd/promtool/main.go}, {@code CheckMetrics}) tell the
 * two kinds of finding apart: 1 when the text cannot be parsed, printed as
 * {@code error while linting: ...}; 3 when it parses but has lint problems (naming,
 * units, help text), printed one per line as {@code <metric> <problem>}; 0 when it has
 * neither. The Debian 2.42 build has no {@code --lint} flag for {@code check metrics}, so
 * the lint problems are always reported and must be sorted by the caller.
 */
final class Promtool {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final int PARSE_ERROR = 1;

	static final int LINT_PROBLEMS = 3;

	private Promtool() {
	}

	static Report checkMetrics(String exposition, String logName) throws IOException, InterruptedException {
		Files.createDirectories(E2eSettings.logDirectory());
		Path log = E2eSettings.logDirectory().resolve(logName + ".log");
		Process process = new ProcessBuilder(E2eSettings.promtool(), "check", "metrics").redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			try (OutputStream stdin = process.getOutputStream()) {
				stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
			}
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("promtool did not finish within " + TIMEOUT);
			}
			return new Report(process.exitValue(), Files.readAllLines(log, StandardCharsets.UTF_8));
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * What {@code promtool check metrics} said.
	 *
	 * @param exitCode its exit code
	 * @param output its output lines, stdout and stderr together
	 */
	record Report(int exitCode, List<String> output) {

		/**
		 * Lines reporting that the exposition is not valid, as opposed to lint problems.
		 */
		List<String> errors() {
			return this.output.stream().filter((line) -> line.startsWith("error")).toList();
		}

		/** The metric names that lint problems were reported for. */
		List<String> lintedMetrics() {
			return this.output.stream()
				.filter((line) -> !line.isBlank() && !line.startsWith("error"))
				.map((line) -> line.substring(0, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length()))
				.distinct()
				.toList();
		}

	}

}
