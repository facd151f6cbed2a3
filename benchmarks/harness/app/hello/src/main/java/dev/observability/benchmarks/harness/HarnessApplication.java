package dev.observability.benchmarks.harness;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The overhead harness's app: the same code in every configuration, which differ only in
 * the dependencies packaged beside it, their properties and the Java agent.
 */
@SpringBootApplication
public class HarnessApplication {

	/**
	 * Starts the app.
	 * @param args command line arguments, passed to Spring Boot
	 */
	public static void main(String[] args) {
		SpringApplication.run(HarnessApplication.class, args);
	}

}
