package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The child processes of one end-to-end test class. Registered as a static
 * {@code @RegisterExtension} field, it prints the tail of every process's output when a
 * test or the class set-up fails, and stops every process after the class, whatever
 * happened.
 */
final class ChildProcesses implements TestWatcher, AfterAllCallback {

	private static final int TAIL_LINES = 40;

	private final Deque<ChildProcess> started = new ConcurrentLinkedDeque<>();

	ChildProcess start(String name, ProcessBuilder builder) throws IOException {
		ChildProcess process = ChildProcess.start(name, builder, E2eSettings.logDirectory());
		this.started.push(process);
		return process;
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		printTails(context.getDisplayName());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (context.getExecutionException().isPresent()) {
			printTails(context.getDisplayName());
		}
		// Newest first: Prometheus goes before the app it scrapes.
		ChildProcess process;
		while ((process = this.started.poll()) != null) {
			process.close();
		}
	}

	private void printTails(String failed) {
		StringBuilder report = new StringBuilder();
		for (ChildProcess process : this.started) {
			report.append("\n----- ")
				.append(failed)
				.append(" failed; last lines of ")
				.append(process.describe())
				.append(" -----\n")
				.append(process.tail(TAIL_LINES))
				.append('\n');
		}
		System.err.print(report);
	}

}
