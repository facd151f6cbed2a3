package dev.observability.core.tracing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OperationSpanNames}.
 */
final class OperationSpanNamesTests {

	private final OperationSpanNames names = new OperationSpanNames();

	@Test
	void repeatedPairGetsTheNameItGotTheFirstTime() {
		String first = this.names.of("SELECT", "orders");
		assertThat(first).isEqualTo("SELECT orders");
		assertThat(this.names.of("SELECT", "orders")).isSameAs(first);
		assertThat(this.names.of("SELECT", "customers")).isEqualTo("SELECT customers");
		assertThat(this.names.of("INSERT", "orders")).isEqualTo("INSERT orders");
		assertThat(this.names.size()).isEqualTo(3);
	}

	@Test
	void manyDistinctPairsGetTheirNamesAndOnlyTheFirstOnesAreKept() {
		int pairs = OperationSpanNames.MAX_NAMES * 4;
		List<String> first = new ArrayList<>();
		for (int i = 0; i < pairs; i++) {
			first.add(this.names.of(operation(i), "table" + i));
		}
		for (int i = 0; i < pairs; i++) {
			String name = this.names.of(operation(i), "table" + i);
			assertThat(name).isEqualTo(operation(i) + " table" + i);
			if (i < OperationSpanNames.MAX_NAMES) {
				assertThat(name).isSameAs(first.get(i));
			}
			else {
				assertThat(name).isNotSameAs(first.get(i));
			}
		}
		assertThat(this.names.size()).isEqualTo(OperationSpanNames.MAX_NAMES);
	}

	@Test
	void concurrentCallersGetTheRightNamesAndStayWithinTheCap() throws Exception {
		int threads = 4;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Callable<Integer>> callers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int offset = t * 100;
				callers.add(() -> {
					int wrong = 0;
					for (int i = offset; i < offset + OperationSpanNames.MAX_NAMES; i++) {
						if (!this.names.of(operation(i), "table" + i).equals(operation(i) + " table" + i)) {
							wrong++;
						}
					}
					return wrong;
				});
			}
			for (Future<Integer> wrong : executor.invokeAll(callers, 30, TimeUnit.SECONDS)) {
				assertThat(wrong.get()).isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.names.size()).isEqualTo(OperationSpanNames.MAX_NAMES);
	}

	@Test
	void hitAllocatesNothing() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		for (int i = 0; i < 20_000; i++) {
			this.names.of("SELECT", "orders");
		}
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < 100_000; i++) {
			this.names.of("SELECT", "orders");
		}
		// A concatenation per call would be about 5 MB.
		assertThat(threads.getThreadAllocatedBytes(thread) - before).isLessThan(64 * 1024);
	}

	/** A handful of operations, so that targets share them as in an application. */
	private static String operation(int i) {
		return new String[] { "SELECT", "INSERT", "UPDATE", "DELETE", "findAndModify" }[i % 5];
	}

}
