package dev.observability.spring.autoconfigure.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Counts the body bytes an application writes, for the response size distribution. Both
 * the stream and the writer delegate straight to the container's own, unbuffered, so
 * buffering, charset handling and {@link #resetBuffer()} behave exactly as without the
 * wrapper. The counting objects are created only when the application asks for the body,
 * so a bodiless response costs just this wrapper.
 */
final class CountingResponse extends HttpServletResponseWrapper {

	private @Nullable CountingOutputStream stream;

	private @Nullable PrintWriter writer;

	private @Nullable ByteCounter writerBytes;

	CountingResponse(HttpServletResponse response) {
		super(response);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.stream == null) {
			this.stream = new CountingOutputStream(super.getOutputStream());
		}
		return this.stream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.writer == null) {
			PrintWriter delegate = super.getWriter();
			this.writerBytes = ByteCounter.forCharset(getCharacterEncoding());
			this.writer = new PrintWriter(new CountingWriter(delegate, this.writerBytes), false);
		}
		return this.writer;
	}

	@Override
	public void resetBuffer() {
		super.resetBuffer();
		resetCount();
	}

	@Override
	public void reset() {
		super.reset();
		resetCount();
	}

	long bytesWritten() {
		long bytes = 0;
		if (this.stream != null) {
			bytes += this.stream.count;
		}
		if (this.writerBytes != null) {
			bytes += this.writerBytes.bytes();
		}
		return bytes;
	}

	private void resetCount() {
		// What was written but not committed is discarded by the container, so it is not
		// sent either.
		if (!isCommitted()) {
			if (this.stream != null) {
				this.stream.count = 0;
			}
			if (this.writerBytes != null) {
				this.writerBytes.reset();
			}
		}
	}

	private static final class CountingOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		private long count;

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
			this.delegate.flush();
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

	/**
	 * Passes every character straight to the container's writer and adds up its encoded
	 * length. Wrapped in a plain {@link PrintWriter}, so every print, println and format
	 * call ends up here.
	 */
	private static final class CountingWriter extends Writer {

		private final PrintWriter delegate;

		private final ByteCounter counter;

		CountingWriter(PrintWriter delegate, ByteCounter counter) {
			this.delegate = delegate;
			this.counter = counter;
		}

		@Override
		public void write(int c) {
			this.delegate.write(c);
			this.counter.add((char) c);
		}

		@Override
		public void write(char[] buf, int off, int len) {
			this.delegate.write(buf, off, len);
			for (int i = off; i < off + len; i++) {
				this.counter.add(buf[i]);
			}
		}

		@Override
		public void write(String s, int off, int len) {
			this.delegate.write(s, off, len);
			for (int i = off; i < off + len; i++) {
				this.counter.add(s.charAt(i));
			}
		}

		@Override
		public void flush() {
			this.delegate.flush();
		}

		@Override
		public void close() {
			this.delegate.close();
		}

	}

}
