package dev.observability.examples.movies.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process started by a test, with its output in a log file under
 * {@code target/}. Closing it stops the process: politely first, then forcibly. A
 * shutdown hook kills it should the test JVM itself be stopped before the test gets to
 * close it.
 */
final class ChildProcess implements AutoCloseable {

	private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);

	private static final Duration FORCED_STOP = Duration.ofSeconds(5);

	private final String name;

	private final Process process;

	private final Path log;

	private final Thread killOnExit;

	private ChildProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.killOnExit = new Thread(process::destroyForcibly, "kill-" + name);
		Runtime.getRuntime().addShutdownHook(this.killOnExit);
	}

	static ChildProcess start(String name, ProcessBuilder builder, Path logDirectory) throws IOException {
		Files.createDirectories(logDirectory);
		Path log = logDirectory.resolve(name + ".log");
		builder.redirectErrorStream(true).redirectOutput(log.toFile());
		Process process = builder.start();
		process.getOutputStream().close();
		return new ChildProcess(name, process, log);
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The last lines of the process output.
	 * @param lines how many lines at most
	 * @return the lines, or a note when the log cannot be read
	 */
	String tail(int lines) {
		try {
			List<String> all = new String(Files.readAllBytes(this.log), StandardCharsets.UTF_8).lines().toList();
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(cannot read " + this.log + ": " + ex + ")";
		}
	}

	String describe() {
		String state = this.process.isAlive() ? "running" : "exited with " + this.process.exitValue();
		return this.name + " (pid " + this.process.pid() + ", " + state + ", log " + this.log + ")";
	}

	@Override
	public void close() {
		try {
			if (this.process.isAlive()) {
				this.process.destroy();
				if (!this.process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
					this.process.destroyForcibly().waitFor(FORCED_STOP.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(this.killOnExit);
			}
			catch (IllegalStateException ex) {
				// The JVM is shutting down: the hook runs anyway, and the process is
				// gone.
			}
		}
	}

}
