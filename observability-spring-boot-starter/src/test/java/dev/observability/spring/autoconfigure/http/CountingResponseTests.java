package dev.observability.spring.autoconfigure.http;

import java.io.PrintWriter;

import jakarta.servlet.ServletOutputStream;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CountingResponse}.
 */
final class CountingResponseTests {

	private final MockHttpServletResponse target = new MockHttpServletResponse();

	private final CountingResponse response = new CountingResponse(this.target);

	@Test
	void countsNothingWhenNoBodyIsWritten() {
		assertThat(this.response.bytesWritten()).isZero();
	}

	@Test
	void countsBytesWrittenToOutputStream() throws Exception {
		ServletOutputStream stream = this.response.getOutputStream();
		stream.write(new byte[300]);
		stream.write('x');
		stream.write(new byte[100], 10, 50);
		assertThat(this.response.bytesWritten()).isEqualTo(351);
		assertThat(this.target.getContentAsByteArray()).hasSize(351);
	}

	@Test
	void countsEncodedBytesWrittenThroughWriter() throws Exception {
		this.response.setCharacterEncoding("UTF-8");
		PrintWriter writer = this.response.getWriter();
		writer.write("héllo wörld €");
		assertThat(this.response.bytesWritten()).isEqualTo(17);
		assertThat(this.target.getContentAsString()).isEqualTo("héllo wörld €");
	}

	@Test
	void countsSupplementaryCharactersAsFourBytes() throws Exception {
		this.response.setCharacterEncoding("UTF-8");
		this.response.getWriter().write("ok \uD83D\uDE00");
		assertThat(this.response.bytesWritten()).isEqualTo(7);
		assertThat(this.target.getContentAsByteArray()).hasSize(7);
	}

	@Test
	void countsOneBytePerCharacterInSingleByteCharset() throws Exception {
		this.response.setCharacterEncoding("ISO-8859-1");
		this.response.getWriter().print("héllo");
		assertThat(this.response.bytesWritten()).isEqualTo(5);
		assertThat(this.target.getContentAsByteArray()).hasSize(5);
	}

	@Test
	void countsWriterBytesWithoutCommittingTheResponse() throws Exception {
		this.response.getWriter().write("small");
		assertThat(this.response.bytesWritten()).isEqualTo(5);
		assertThat(this.target.isCommitted()).isFalse();
	}

	@Test
	void rejectsOutputStreamAfterWriter() throws Exception {
		this.response.getWriter();
		assertThatIllegalStateException().isThrownBy(this.response::getOutputStream);
	}

	@Test
	void rejectsWriterAfterOutputStream() throws Exception {
		this.response.getOutputStream();
		assertThatIllegalStateException().isThrownBy(this.response::getWriter);
	}

	@Test
	void resetBufferStartsCountingAgain() throws Exception {
		this.response.getOutputStream().write(new byte[40]);
		this.response.resetBuffer();
		this.response.getOutputStream().write(new byte[7]);
		assertThat(this.response.bytesWritten()).isEqualTo(7);
		assertThat(this.target.getContentAsByteArray()).hasSize(7);
	}

	@Test
	void resetBufferDiscardsWhatTheWriterStillHolds() throws Exception {
		// Spring MVC resets the buffer before an exception handler writes its own body.
		this.response.setCharacterEncoding("UTF-8");
		this.response.getWriter().write("partial,");
		this.response.resetBuffer();
		this.response.getWriter().write("error");
		this.response.getWriter().flush();
		assertThat(this.target.getContentAsString()).isEqualTo("error");
		assertThat(this.response.bytesWritten()).isEqualTo(5);
	}

}
