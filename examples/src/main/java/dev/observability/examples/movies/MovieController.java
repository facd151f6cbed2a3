package dev.observability.examples.movies;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The example's endpoints: a list, a lookup by path variable, one that answers 500 and
 * one that throws.
 */
@RestController
@RequestMapping("/api")
class MovieController {

	private final MovieCatalog catalog;

	MovieController(MovieCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/movies")
	List<Movie> movies() {
		return this.catalog.all();
	}

	@GetMapping("/movies/{id}")
	Movie movie(@PathVariable long id) {
		return this.catalog.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No movie " + id));
	}

	/** Answers 500 on purpose, for error-rate panels and alerts. */
	@GetMapping("/unavailable")
	ResponseEntity<Map<String, String>> unavailable() {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(Map.of("error", "recommendations are down"));
	}

	/** Throws on purpose: the exception ends the request and is counted by type. */
	@GetMapping("/boom")
	Movie boom() {
		throw new IllegalStateException("the projector caught fire");
	}

}
