package dev.observability.examples.movies.e2e;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.observability.examples.movies.e2e.ZipkinServer.Span;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of {@link ZipkinServer} against the real server: what the tracing
 * tests rely on, proven with spans posted by hand. One server serves the whole class.
 */
final class ZipkinServerE2eIT {

	private static final String SERVICE = "Zipkin-Smoke";

	@RegisterExtension
	static final ChildProcesses processes = new ChildProcesses();

	private static ZipkinServer zipkin;

	@BeforeAll
	static void startZipkin() throws Exception {
		zipkin = ZipkinServer.start(processes).awaitHealthy();
	}

	@Test
	void healthIsUpWithInMemoryStorage() throws Exception {
		HttpResponse<String> response = LoopbackHttp.get(zipkin.baseUrl().resolve("/health"));
		assertThat(response.statusCode()).as("GET /health").isEqualTo(200);
		JsonNode health = JsonMapper.shared().readTree(response.body());
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("zipkin").path("details").propertyNames()).containsExactly("InMemoryStorage{}");
	}

	@Test
	void listensOnOneLoopbackPortOnly() throws Exception {
		List<InetSocketAddress> listening = ListeningSockets.of(zipkin.pid());
		assertThat(listening).as("listening sockets of %s", zipkin.pid()).singleElement().satisfies((socket) -> {
			assertThat(socket.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
			assertThat(socket.getPort()).isEqualTo(zipkin.port());
		});
	}

	@Test
	void postedSpansReadBackAsOneTraceWithParentAndTags() throws Exception {
		String traceId = randomHex(16);
		String serverId = randomHex(8);
		String childId = randomHex(8);
		long start = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
		String spans = """
				[{"traceId": "%1$s", "id": "%2$s", "kind": "SERVER", "name": "GET /api/movies/{id}",
				  "timestamp": %4$d, "duration": 5000, "localEndpoint": {"serviceName": "%5$s"},
				  "tags": {"http.request.method": "GET", "http.route": "/api/movies/{id}"}},
				 {"traceId": "%1$s", "parentId": "%2$s", "id": "%3$s", "name": "MovieRepository.find",
				  "timestamp": %6$d, "duration": 1000, "localEndpoint": {"serviceName": "%5$s"},
				  "tags": {"db.system": "h2"}}]
				""".formatted(traceId, serverId, childId, start, SERVICE, start + 2000);

		assertThat(LoopbackHttp.postJson(zipkin.spansEndpoint(), spans).statusCode()).as("POST /api/v2/spans")
			.isEqualTo(202);

		List<Span> trace = zipkin.awaitTrace(traceId, 2);
		assertThat(trace).extracting(Span::id).containsExactlyInAnyOrder(serverId, childId);
		Span server = span(trace, serverId);
		Span child = span(trace, childId);
		assertThat(server.parentId()).as("parent of the server span").isNull();
		assertThat(server.kind()).isEqualTo("SERVER");
		assertThat(server.name()).as("stored in lower case").isEqualTo("get /api/movies/{id}");
		assertThat(server.localServiceName()).isEqualTo("zipkin-smoke");
		assertThat(server.tags()).isEqualTo(Map.of("http.request.method", "GET", "http.route", "/api/movies/{id}"));
		assertThat(server.timestampMicros()).isEqualTo(start);
		assertThat(server.durationMicros()).isEqualTo(5000);
		assertThat(child.isChildOf(server)).as("%s is a child of %s", child, server).isTrue();
		assertThat(child.kind()).as("kind of a local span").isNull();
		assertThat(child.name()).isEqualTo("movierepository.find");
		assertThat(child.tags()).isEqualTo(Map.of("db.system", "h2"));

		assertThat(zipkin.serviceNames()).contains("zipkin-smoke");
		assertThat(zipkin.traces("zipkin-smoke", Duration.ofMinutes(5)))
			.anySatisfy((found) -> assertThat(found).containsExactlyInAnyOrderElementsOf(trace));
		assertThat(zipkin.awaitTrace("zipkin-smoke", Duration.ofMinutes(5),
				(spansOfTrace) -> spansOfTrace.stream().anyMatch((span) -> span.id().equals(childId))))
			.containsExactlyInAnyOrderElementsOf(trace);
	}

	@Test
	void unknownTraceHasNoSpans() throws Exception {
		assertThat(zipkin.trace(randomHex(16))).isEmpty();
	}

	private static Span span(List<Span> trace, String id) {
		return trace.stream().filter((span) -> span.id().equals(id)).findFirst().orElseThrow();
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

}
