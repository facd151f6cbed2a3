package dev.observability.examples.movies.e2e;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the packaged example switched off by an environment variable, as a
 * deployment does it: the scrape endpoint is gone, the application and its health check
 * are not.
 */
final class MetricsDisabledE2eIT {

	static final List<String> SWITCHES = List.of("METRICS_ENABLED", "OBSERVABILITY_ENABLED");

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private static final Map<String, ExampleApp> apps = new ConcurrentHashMap<>();

	@BeforeAll
	static void startOneAppPerSwitch() throws Exception {
		// All at once: the start-ups overlap instead of adding up. The extension stops
		// them.
		for (String variable : SWITCHES) {
			apps.put(variable, ExampleApp.start(processes, "disabled-by-" + variable, Map.of(variable, "false")));
		}
	}

	@ParameterizedTest(name = "{0}=false")
	@FieldSource("SWITCHES")
	void switchedOffAppServesRequestsButNoMetrics(String variable) throws Exception {
		ExampleApp app = apps.get(variable).awaitHealthy();
		assertThat(app.get("/metrics").statusCode()).as("GET /metrics").isEqualTo(404);
		assertThat(app.get("/api/movies/42").statusCode()).as("GET /api/movies/42").isEqualTo(200);
		assertThat(app.get("/actuator/health").statusCode()).as("GET /actuator/health").isEqualTo(200);
	}

}
