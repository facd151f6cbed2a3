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
 * The example's endpoints: a list, a lookup by path variable, recommendations (database
 * queries and a traced function), one that answers 500 and one that throws.
 */
@RestController
@RequestMapping("/api")
class MovieController {

	private final MovieRepository movies;

	private final MovieRecommender recommender;

	MovieController(MovieRepository movies, MovieRecommender recommender) {
		this.movies = movies;
		this.recommender = recommender;
	}

	@GetMapping("/movies")
	List<Movie> movies() {
		return this.movies.all();
	}

	@GetMapping("/movies/{id}")
	Movie movie(@PathVariable long id) {
		return this.movies.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No movie " + id));
	}

	/**
	 * Two database queries and a {@code @TraceFunction} method: with tracing on, three
	 * spans under the request's.
	 */
	@GetMapping("/movies/{id}/recommendations")
	List<Movie> recommendations(@PathVariable long id) {
		return this.recommender.similarTo(movie(id), this.movies.all());
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
