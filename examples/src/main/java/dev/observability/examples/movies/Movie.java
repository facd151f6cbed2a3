package dev.observability.examples.movies;

/**
 * A movie of the catalogue.
 *
 * @param id the identifier
 * @param title the title
 * @param year the release year
 */
public record Movie(long id, String title, int year) {
}
