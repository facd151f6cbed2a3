package dev.observability.spring.autoconfigure.tracing;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link SpanExporter} that counts the spans of every batch its delegate fails to
 * export in {@code observability.tracing.spans.dropped{reason=export_failed}}: the result
 * completed unsuccessfully (the backend refused the batch, did not answer in time or
 * could not be reached, after the exporter's own retries), or the delegate threw.
 * Everything else, the result, flush and shutdown included, is the delegate's.
 */
final class FailedExportCountingSpanExporter implements SpanExporter {

	private static final Log logger = LogFactory.getLog(FailedExportCountingSpanExporter.class);

	private final SpanExporter delegate;

	private final Counter exportFailed;

	private final AtomicBoolean failureLogged = new AtomicBoolean();

	FailedExportCountingSpanExporter(SpanExporter delegate, Counter exportFailed) {
		this.delegate = delegate;
		this.exportFailed = exportFailed;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int size = spans.size();
		CompletableResultCode result;
		try {
			result = this.delegate.export(spans);
		}
		catch (RuntimeException ex) {
			count(size);
			throw ex;
		}
		// One capturing lambda per batch, on the exporter's thread: not the request path.
		// The result may complete on the HTTP client's thread, long after the processor
		// stopped waiting for it; the spans are counted then.
		result.whenComplete(() -> {
			if (!result.isSuccess()) {
				count(size);
			}
		});
		return result;
	}

	/** Never throws: the caller is the exporter's thread or the HTTP client's. */
	private void count(int spans) {
		try {
			this.exportFailed.increment(spans);
		}
		catch (RuntimeException ex) {
			if (this.failureLogged.compareAndSet(false, true)) {
				logger.warn("Could not count spans whose export failed. Further failures are not logged", ex);
			}
		}
	}

	@Override
	public CompletableResultCode flush() {
		return this.delegate.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	SpanExporter getDelegate() {
		return this.delegate;
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
