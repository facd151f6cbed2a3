package dev.observability.spring.autoconfigure.http;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Counts the body bytes an application writes, for the response size distribution. The counting
 * stream is created only when the application asks for the body, so a bodiless response costs just
 * this wrapper.
 */
final class CountingResponse extends HttpServletResponseWrapper {

	private @Nullable CountingOutputStream stream;

	private @Nullable PrintWriter writer;

	CountingResponse(HttpServletResponse response) {
		super(response);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.writer != null) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		return countingStream();
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.writer == null) {
			if (this.stream != null) {
				throw new IllegalStateException("getOutputStream() has already been called for this response");
			}
			// Encode through our own stream so that bytes, not chars, are counted.
			Charset charset = Charset.forName(getCharacterEncoding());
			this.writer = new PrintWriter(new OutputStreamWriter(countingStream(), charset));
		}
		return this.writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		if (this.writer != null) {
			this.writer.flush();
		}
		super.flushBuffer();
	}

	@Override
	public void resetBuffer() {
		super.resetBuffer();
		if (this.stream != null) {
			this.stream.count = 0;
		}
	}

	@Override
	public void reset() {
		super.reset();
		if (this.stream != null) {
			this.stream.count = 0;
		}
	}

	long bytesWritten() {
		CountingOutputStream counting = this.stream;
		if (counting == null) {
			return 0;
		}
		if (this.writer != null) {
			// Push the encoder's pending chars into the count without committing the response, so the
			// container can still set Content-Length on a small body.
			counting.holdFlush = true;
			try {
				this.writer.flush();
			}
			finally {
				counting.holdFlush = false;
			}
		}
		return counting.count;
	}

	private CountingOutputStream countingStream() throws IOException {
		if (this.stream == null) {
			this.stream = new CountingOutputStream(super.getOutputStream());
		}
		return this.stream;
	}

	private static final class CountingOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		private long count;

		private boolean holdFlush;

		CountingOutputStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			this.delegate.write(b);
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.delegate.write(b, off, len);
			this.count += len;
		}

		@Override
		public void flush() throws IOException {
			if (!this.holdFlush) {
				this.delegate.flush();
			}
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.delegate.setWriteListener(listener);
		}

	}

}
