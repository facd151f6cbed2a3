package dev.observability.benchmarks.harness;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The loaded endpoint and the harness's allocation probe.
 */
@RestController
class HelloController {

	private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	/** The endpoint under load: as little work as a Spring MVC handler can do. */
	@GetMapping("/hello")
	String hello() {
		return "Hello, World!";
	}

	/**
	 * Bytes allocated on the heap by all threads since the JVM started, terminated ones
	 * included; read before and after the measured phase, never under load.
	 */
	@GetMapping("/allocated-bytes")
	String allocatedBytes() {
		return Long.toString(this.threads.getTotalThreadAllocatedBytes());
	}

}
