package dev.observability.examples.movies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MovieController} on a real port: the movies come from the in-memory
 * database, and the JSON is the one the example has always answered.
 */
@SpringBootTest(classes = MoviesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
final class MovieControllerTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void listsTheMoviesOfTheDatabaseInIdOrder() throws Exception {
		HttpResponse<String> response = get("/api/movies");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[{\"id\":1,\"title\":\"Metropolis\",\"year\":1927},"
				+ "{\"id\":42,\"title\":\"The Hitchhiker's Guide to the Galaxy\",\"year\":2005},"
				+ "{\"id\":1977,\"title\":\"Star Wars\",\"year\":1977}]");
	}

	@Test
	void findsAMovieById() throws Exception {
		HttpResponse<String> response = get("/api/movies/42");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body())
			.isEqualTo("{\"id\":42,\"title\":\"The Hitchhiker's Guide to the Galaxy\",\"year\":2005}");
	}

	@Test
	void answersNotFoundForAnIdNotInTheDatabase() throws Exception {
		assertThat(get("/api/movies/7").statusCode()).isEqualTo(404);
	}

	@Test
	void servesWhatTheDatabaseHoldsAtRequestTime() throws Exception {
		assertThat(get("/api/movies/2001").statusCode()).as("before the insert").isEqualTo(404);
		this.jdbc.sql("INSERT INTO movie (id, title, release_year) VALUES (2001, '2001: A Space Odyssey', 1968)")
			.update();
		try {
			assertThat(get("/api/movies/2001").body())
				.isEqualTo("{\"id\":2001,\"title\":\"2001: A Space Odyssey\",\"year\":1968}");
		}
		finally {
			// The context, and so the database, is shared with the other tests.
			this.jdbc.sql("DELETE FROM movie WHERE id = 2001").update();
		}
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
