package dev.observability.examples.movies.e2e;

import java.net.http.HttpResponse;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example's {@code /metrics} as the end-to-end tests read it, and the lint problems
 * {@code promtool} reports in it that are not ours.
 */
final class MetricsScrape {

	/**
	 * The metrics that promtool 2.42 reports lint problems for, none of them ours:
	 * Micrometer's JVM, process and Tomcat binders, registered by Spring Boot. They are
	 * warnings about naming, not errors:
	 * <ul>
	 * <li>{@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total}:
	 * "metric names should not contain abbreviated units";</li>
	 * <li>{@code system_cpu_count}: "non-histogram and non-summary metrics should not
	 * have "_count" suffix";</li>
	 * <li>{@code tomcat_sessions_*}: "no help text" (Micrometer's {@code TomcatMetrics}
	 * gives them no description).</li>
	 * </ul>
	 * A lint problem on any other metric, ours in particular, fails the tests.
	 */
	static final Set<String> FOREIGN_LINT_PROBLEMS = Set.of("jvm_compilation_time_ms_total",
			"process_cpu_time_ns_total", "system_cpu_count", "tomcat_sessions_active_current_sessions",
			"tomcat_sessions_active_max_sessions", "tomcat_sessions_alive_max_seconds",
			"tomcat_sessions_created_sessions_total", "tomcat_sessions_expired_sessions_total",
			"tomcat_sessions_rejected_sessions_total");

	private MetricsScrape() {
	}

	/**
	 * The Prometheus text format, as {@code curl /metrics} gets it: no {@code Accept}
	 * header.
	 */
	static String text(ExampleApp app) throws Exception {
		HttpResponse<String> response = app.get("/metrics");
		assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		return response.body();
	}

}
