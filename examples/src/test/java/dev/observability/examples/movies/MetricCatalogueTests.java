package dev.observability.examples.movies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/metrics.md} equal to what a scrape of the example app shows: every
 * scraped family is documented with its type and labels, and every family documented as
 * {@code always} is scraped.
 */
@SpringBootTest(classes = MoviesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
final class MetricCatalogueTests {

	private static final Path CATALOGUE = Path.of("..", "docs", "metrics.md");

	private static final Pattern ROW = Pattern
		.compile("^\\| `([a-z0-9_]+)` \\| (\\w+) \\| ([^|]*)\\| ([^|]+)\\| ([^|]+)\\|$");

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? ");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

	private static final Set<String> SERIES_SUFFIXES = Set.of("bucket", "count", "sum", "total", "created");

	private static Map<String, Documented> catalogue;

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void readCatalogue() throws IOException {
		catalogue = new LinkedHashMap<>();
		for (String line : Files.readAllLines(CATALOGUE)) {
			Matcher row = ROW.matcher(line.trim());
			if (row.matches()) {
				Documented previous = catalogue.put(row.group(1),
						new Documented(row.group(2), labels(row.group(3)), "always".equals(row.group(5).trim())));
				assertThat(previous).as("%s is documented twice", row.group(1)).isNull();
			}
		}
		assertThat(catalogue).as("rows parsed from %s", CATALOGUE).hasSizeGreaterThan(40);
	}

	@Test
	void catalogueMatchesTheScrapeOfTheExample() throws Exception {
		for (String path : new String[] { "/api/movies", "/api/movies/42", "/api/movies/7", "/api/unavailable",
				"/api/boom", "/no/such/path" }) {
			get(path);
		}
		System.gc();
		Map<String, Scraped> scraped = scrape(get("/metrics"));

		assertThat(scraped.keySet()).as("families scraped but missing from docs/metrics.md")
			.isSubsetOf(catalogue.keySet());
		Set<String> always = catalogue.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().always())
			.map(Map.Entry::getKey)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(scraped.keySet()).as("families documented as 'always' but not scraped").containsAll(always);
		assertThat(scraped).containsKeys("http_server_requests_seconds", "http_server_requests_active",
				"http_server_exceptions_total", "http_server_response_size_bytes");
		scraped.forEach((family, actual) -> {
			Documented documented = catalogue.get(family);
			assertThat(actual.type()).as("type of %s", family).isEqualTo(documented.type());
			assertThat(actual.labels()).as("labels of %s", family).isEqualTo(documented.labelsWithApplication());
		});
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private static Map<String, Scraped> scrape(String body) {
		Map<String, String> types = new TreeMap<>();
		Map<String, Set<String>> labels = new TreeMap<>();
		for (String line : body.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				String[] parts = line.split(" ");
				types.put(parts[2], parts[3]);
				labels.put(parts[2], new TreeSet<>());
			}
			else if (!line.startsWith("#") && !line.isBlank()) {
				Matcher sample = SAMPLE.matcher(line);
				assertThat(sample.find()).as("sample line %s", line).isTrue();
				Set<String> familyLabels = labels.get(family(sample.group(1), types));
				Matcher label = LABEL.matcher((sample.group(2) != null) ? sample.group(2) : "");
				while (label.find()) {
					familyLabels.add(label.group(1));
				}
			}
		}
		Map<String, Scraped> families = new TreeMap<>();
		types.forEach((name, type) -> {
			Set<String> names = labels.get(name);
			names.removeAll(Set.of("le", "quantile"));
			families.put(name, new Scraped(type, names));
		});
		return families;
	}

	private static String family(String sample, Map<String, String> types) {
		if (types.containsKey(sample)) {
			return sample;
		}
		int underscore = sample.lastIndexOf('_');
		String base = sample.substring(0, underscore);
		assertThat(types).as("family of sample %s", sample).containsKey(base);
		assertThat(SERIES_SUFFIXES).contains(sample.substring(underscore + 1));
		return base;
	}

	private static Set<String> labels(String cell) {
		return Arrays.stream(cell.split(","))
			.map((label) -> label.trim().replace("`", ""))
			.filter((label) -> !label.isEmpty())
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private record Documented(String type, Set<String> labels, boolean always) {

		Set<String> labelsWithApplication() {
			Set<String> all = new TreeSet<>(this.labels);
			all.add("application");
			return all;
		}

	}

	private record Scraped(String type, Set<String> labels) {
	}

}
