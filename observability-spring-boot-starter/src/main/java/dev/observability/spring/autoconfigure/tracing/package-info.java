/**
 * Tracing through Spring Boot's OpenTelemetry support, driven by the starter's
 * {@code observability.tracing.*} switches.
 */
@NullMarked
package dev.observability.spring.autoconfigure.tracing;

import org.jspecify.annotations.NullMarked;
