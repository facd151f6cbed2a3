package dev.observability.spring.autoconfigure.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.servlet.HandlerMapping;

/**
 * Serves the registry in the format the scraper's {@code Accept} header asks for:
 * OpenMetrics for Prometheus (which asks for it first, and which exemplars need), the
 * Prometheus text format for {@code curl} and anything else.
 */
final class MetricsScrapeServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	/**
	 * The route attribute the HTTP metrics filter reads, so scrapes are tagged with this
	 * path.
	 */
	private static final String ROUTE_ATTRIBUTE = HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE;

	private final transient PrometheusMeterRegistry registry;

	private final transient MetricsEndpointGuard guard;

	private final transient ExpositionFormats formats = ExpositionFormats.init();

	private final String path;

	MetricsScrapeServlet(PrometheusMeterRegistry registry, MetricsEndpointGuard guard, String path) {
		this.registry = registry;
		this.guard = guard;
		this.path = path;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		request.setAttribute(ROUTE_ATTRIBUTE, this.path);
		response.setHeader("Cache-Control", "no-store");
		switch (this.guard.check(request.getRemoteAddr(), request.getHeader("Authorization"))) {
			case FORBIDDEN -> reject(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden\n");
			case UNAUTHORIZED -> {
				for (String challenge : this.guard.challenges()) {
					response.addHeader("WWW-Authenticate", challenge);
				}
				reject(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized\n");
			}
			case ALLOWED -> scrape(request, response);
		}
	}

	private void scrape(HttpServletRequest request, HttpServletResponse response) throws IOException {
		ExpositionFormatWriter writer = this.formats.findWriter(request.getHeader("Accept"));
		if (!writer.isAvailable()) {
			writer = this.formats.getPrometheusTextFormatWriter();
		}
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(writer.getContentType());
		try (OutputStream body = response.getOutputStream()) {
			this.registry.scrape(body, writer.getContentType());
		}
	}

	private static void reject(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("text/plain;charset=utf-8");
		response.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
	}

}
