package dev.observability.examples.movies;

import java.util.Comparator;
import java.util.List;

import dev.observability.core.tracing.TraceFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Picks similar movies: the example's piece of business logic, traced with
 * {@code @TraceFunction} so that its time shows as a span of its own under the request's.
 */
@Component
class MovieRecommender {

	private static final Logger logger = LoggerFactory.getLogger(MovieRecommender.class);

	/** How many recommendations a request gets. */
	private static final int LIMIT = 2;

	/**
	 * The movies closest in release year to the given one, nearest first.
	 * @param movie the movie the user looks at
	 * @param candidates the catalogue
	 * @return at most {@value #LIMIT} other movies
	 */
	@TraceFunction(spanName = "movies.recommend", attributes = "recommender=release-year")
	List<Movie> similarTo(Movie movie, List<Movie> candidates) {
		List<Movie> similar = candidates.stream()
			.filter((candidate) -> candidate.id() != movie.id())
			.sorted(Comparator.comparingInt((Movie candidate) -> Math.abs(candidate.year() - movie.year()))
				.thenComparingLong(Movie::id))
			.limit(LIMIT)
			.toList();
		logger.info("Recommended {} movies for movie {}", similar.size(), movie.id());
		return similar;
	}

}
