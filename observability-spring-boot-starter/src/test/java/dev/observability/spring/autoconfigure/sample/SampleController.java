package dev.observability.spring.autoconfigure.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints with known statuses and body sizes, and one that records a counter with tag
 * values the caller chooses, as an application that tags meters with user input would.
 */
@RestController
public class SampleController {

	/** Body of {@code /writer}: 13 characters, 17 bytes in UTF-8. */
	public static final String WRITER_BODY = "héllo wörld €";

	/** Size of the body of {@code /stream}. */
	public static final int STREAM_BODY_SIZE = 1000;

	/** Body of {@code /async}. */
	public static final String ASYNC_BODY = "accepted";

	private final ObjectProvider<MeterRegistry> registry;

	SampleController(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@GetMapping("/items/{id}")
	String item(@PathVariable String id) {
		return "item " + id;
	}

	@GetMapping("/orders/{id}")
	String order(@PathVariable String id) {
		return "order " + id;
	}

	@GetMapping("/products/{id}")
	String product(@PathVariable String id) {
		return "product " + id;
	}

	/**
	 * Increments the counter {@code demo.<name>} tagged with the given {@code value} and
	 * {@code region}.
	 * @param name the counter's name after {@code demo.}
	 * @param value the value of the {@code value} tag
	 * @param region the value of the {@code region} tag
	 * @return the counter's name
	 */
	@GetMapping("/counters/{name}")
	String count(@PathVariable String name, @RequestParam String value,
			@RequestParam(defaultValue = "eu") String region) {
		String metric = "demo." + name;
		this.registry.getObject().counter(metric, "value", value, "region", region).increment();
		return metric;
	}

	@GetMapping("/fails")
	ResponseEntity<String> fails() {
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("failed");
	}

	@GetMapping("/throws")
	String throwsException() {
		throw new IllegalStateException("boom");
	}

	@GetMapping("/async")
	CompletableFuture<ResponseEntity<String>> async() {
		return CompletableFuture.supplyAsync(() -> ResponseEntity.status(HttpStatus.ACCEPTED).body(ASYNC_BODY),
				CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
	}

	@GetMapping("/writer")
	void writer(HttpServletResponse response) throws IOException {
		response.setContentType("text/plain;charset=UTF-8");
		PrintWriter writer = response.getWriter();
		writer.write(WRITER_BODY);
	}

	@GetMapping("/stream")
	void stream(HttpServletResponse response) throws IOException {
		response.setContentType("application/octet-stream");
		byte[] body = new byte[STREAM_BODY_SIZE];
		Arrays.fill(body, (byte) 'x');
		OutputStream stream = response.getOutputStream();
		stream.write(body, 0, 400);
		stream.write(body, 400, STREAM_BODY_SIZE - 400);
	}

	@GetMapping("/partial")
	void partial(HttpServletResponse response) throws IOException {
		response.setContentType("text/csv;charset=UTF-8");
		response.getWriter().write("id,title\n1,");
		throw new ExportFailedException();
	}

	@ExceptionHandler
	void exportFailed(ExportFailedException ex, HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setContentType("text/plain;charset=UTF-8");
		response.getWriter().write("export failed");
	}

	/**
	 * Body size of {@code /writer} in bytes.
	 * @return the size
	 */
	public static int writerBodySize() {
		return WRITER_BODY.getBytes(StandardCharsets.UTF_8).length;
	}

	static final class ExportFailedException extends RuntimeException {

		private static final long serialVersionUID = 1L;

	}

}
