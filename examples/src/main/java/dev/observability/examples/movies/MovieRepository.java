package dev.observability.examples.movies;

import java.util.List;
import java.util.Optional;

import dev.observability.core.tracing.TraceContext;
import dev.observability.core.tracing.Tracing;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The catalogue, in an in-memory H2 database that {@code schema.sql} and {@code data.sql}
 * fill at start-up: the example needs no external service, yet a request for movies makes
 * a real database call. Every query of the example is here.
 */
// @Component, not @Repository: JdbcClient already translates SQLExceptions, and the
// translating proxy of @Repository would load CGLIB for this class alone (about 130 more
// classes at start-up). Not final, so that an aspect (tracing) can still proxy it.
@Component
class MovieRepository {

	private static final RowMapper<Movie> MOVIE = (row, number) -> new Movie(row.getLong("id"), row.getString("title"),
			row.getInt("release_year"));

	/** The span names and attributes of the queries: operation, table, database. */
	private static final String SELECT = "SELECT";

	private static final String TABLE = "movie";

	private static final String DATABASE = "h2";

	private final JdbcClient jdbc;

	private final Tracing tracing;

	MovieRepository(JdbcClient jdbc, Tracing tracing) {
		this.jdbc = jdbc;
		this.tracing = tracing;
	}

	List<Movie> all() {
		try (TraceContext span = this.tracing.traceDatabaseOperation(SELECT, TABLE, DATABASE)) {
			return this.jdbc.sql("SELECT id, title, release_year FROM movie ORDER BY id").query(MOVIE).list();
		}
	}

	Optional<Movie> find(long id) {
		try (TraceContext span = this.tracing.traceDatabaseOperation(SELECT, TABLE, DATABASE)) {
			return this.jdbc.sql("SELECT id, title, release_year FROM movie WHERE id = ?")
				.param(id)
				.query(MOVIE)
				.optional();
		}
	}

}
