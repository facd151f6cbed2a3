package dev.observability.examples.movies.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the samples of a Prometheus text format exposition, as {@code curl /metrics}
 * shows them.
 */
final class TextExposition {

	private TextExposition() {
	}

	static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (!line.isBlank() && !line.startsWith("#")) {
				samples.add(parseLine(line));
			}
		}
		return samples;
	}

	private static Sample parseLine(String line) {
		int nameEnd = 0;
		while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
			nameEnd++;
		}
		Map<String, String> labels = new TreeMap<>();
		int position = nameEnd;
		if (position < line.length() && line.charAt(position) == '{') {
			position = parseLabels(line, position + 1, labels);
		}
		String[] valueAndTimestamp = line.substring(position).trim().split(" ");
		return new Sample(line.substring(0, nameEnd), labels, SampleValues.parse(valueAndTimestamp[0]));
	}

	/**
	 * Parses {@code name="value",...}} and returns the position after the closing brace.
	 */
	private static int parseLabels(String line, int start, Map<String, String> labels) {
		int position = start;
		while (line.charAt(position) != '}') {
			int equals = line.indexOf("=\"", position);
			if (equals < 0) {
				throw new IllegalArgumentException("Malformed labels in: " + line);
			}
			String name = line.substring(position, equals);
			StringBuilder value = new StringBuilder();
			position = equals + 2;
			while (line.charAt(position) != '"') {
				char c = line.charAt(position++);
				if (c == '\\') {
					char escaped = line.charAt(position++);
					value.append((escaped == 'n') ? '\n' : escaped);
				}
				else {
					value.append(c);
				}
			}
			labels.put(name, value.toString());
			position++;
			if (line.charAt(position) == ',') {
				position++;
			}
		}
		return position + 1;
	}

	/**
	 * One sample line.
	 *
	 * @param name the sample name, with its {@code _count}, {@code _bucket}... suffix
	 * @param labels the labels
	 * @param value the value
	 */
	record Sample(String name, Map<String, String> labels, double value) {

		boolean has(String label, String value) {
			return value.equals(this.labels.get(label));
		}

	}

}
