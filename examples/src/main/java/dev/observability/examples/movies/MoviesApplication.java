package dev.observability.examples.movies;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example movie service: a plain Spring MVC app whose only observability set-up is
 * the starter dependency and a few lines of {@code application.yml}.
 */
@SpringBootApplication
public class MoviesApplication {

	/**
	 * Starts the example.
	 * @param args command line arguments, passed to Spring Boot
	 */
	public static void main(String[] args) {
		SpringApplication.run(MoviesApplication.class, args);
	}

}
