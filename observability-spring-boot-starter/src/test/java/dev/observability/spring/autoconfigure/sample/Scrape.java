package dev.observability.spring.autoconfigure.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text-format scrape, for assertions that count series or add
 * values up the way a PromQL {@code count} or {@code sum} would.
 */
public final class Scrape {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final List<Sample> samples;

	private Scrape(List<Sample> samples) {
		this.samples = samples;
	}

	/**
	 * Parses a scrape in the Prometheus text format.
	 * @param text the scrape
	 * @return the samples, in the order of the text
	 */
	public static Scrape parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			if (!sample.matches()) {
				throw new IllegalArgumentException("Not a sample line: " + line);
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(sample.group(1), Collections.unmodifiableMap(labels),
					Double.parseDouble(sample.group(3))));
		}
		return new Scrape(samples);
	}

	/**
	 * Returns the samples of one name.
	 * @param name the sample name, for example {@code http_server_requests_seconds_count}
	 * @return the samples, one per series
	 */
	public List<Sample> samples(String name) {
		List<Sample> result = new ArrayList<>();
		for (Sample sample : this.samples) {
			if (sample.name().equals(name)) {
				result.add(sample);
			}
		}
		return result;
	}

	/**
	 * Adds up the values of one name, like {@code sum(name)}.
	 * @param name the sample name
	 * @return the sum, 0 when there is no such sample
	 */
	public double sum(String name) {
		double sum = 0;
		for (Sample sample : samples(name)) {
			sum += sample.value();
		}
		return sum;
	}

	/**
	 * Adds up the values of one name whose label has the given value.
	 * @param name the sample name
	 * @param label the label name
	 * @param value the label value
	 * @return the sum, 0 when no sample matches
	 */
	public double sum(String name, String label, String value) {
		double sum = 0;
		for (Sample sample : samples(name)) {
			if (value.equals(sample.labels().get(label))) {
				sum += sample.value();
			}
		}
		return sum;
	}

	/**
	 * Returns the folds the cardinality limiter counted for one tag of one meter.
	 * @param metric the meter name in Micrometer's dotted form
	 * @param tag the tag key
	 * @return the value of {@code observability_cardinality_overflow_total{metric,tag}},
	 * 0 when absent
	 */
	public double overflows(String metric, String tag) {
		double sum = 0;
		for (Sample sample : samples("observability_cardinality_overflow_total")) {
			if (metric.equals(sample.labels().get("metric")) && tag.equals(sample.labels().get("tag"))) {
				sum += sample.value();
			}
		}
		return sum;
	}

	/**
	 * Returns the distinct values of a label across the samples of one name.
	 * @param name the sample name
	 * @param label the label name
	 * @return the values, in the order first seen
	 */
	public Set<String> labelValues(String name, String label) {
		Set<String> values = new LinkedHashSet<>();
		for (Sample sample : samples(name)) {
			String value = sample.labels().get(label);
			if (value != null) {
				values.add(value);
			}
		}
		return values;
	}

	/**
	 * One line of a scrape.
	 *
	 * @param name the sample name
	 * @param labels the labels, in the order of the line
	 * @param value the value
	 */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

}
