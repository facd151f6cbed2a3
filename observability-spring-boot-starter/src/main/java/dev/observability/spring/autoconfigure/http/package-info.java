/**
 * HTTP server instrumentation: one filter that records every request once.
 */
@NullMarked
package dev.observability.spring.autoconfigure.http;

import org.jspecify.annotations.NullMarked;
