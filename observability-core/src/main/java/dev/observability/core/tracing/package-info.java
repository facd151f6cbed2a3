/**
 * Tracing of functions and code blocks on the OpenTelemetry API: the
 * {@link dev.observability.core.tracing.TraceFunction @TraceFunction} annotation, the
 * {@link dev.observability.core.tracing.Tracing} facade and its
 * {@link dev.observability.core.tracing.TraceContext} spans. Nothing here ever throws
 * into the traced code, and with tracing off nothing here allocates.
 */
@NullMarked
package dev.observability.core.tracing;

import org.jspecify.annotations.NullMarked;
