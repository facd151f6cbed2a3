package dev.observability.examples.movies;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/**
 * An in-memory catalogue, so the example needs no external service.
 */
@Component
class MovieCatalog {

	private final Map<Long, Movie> movies = new TreeMap<>();

	MovieCatalog() {
		add(new Movie(1, "Metropolis", 1927));
		add(new Movie(42, "The Hitchhiker's Guide to the Galaxy", 2005));
		add(new Movie(1977, "Star Wars", 1977));
	}

	private void add(Movie movie) {
		this.movies.put(movie.id(), movie);
	}

	List<Movie> all() {
		return List.copyOf(this.movies.values());
	}

	Optional<Movie> find(long id) {
		return Optional.ofNullable(this.movies.get(id));
	}

}
