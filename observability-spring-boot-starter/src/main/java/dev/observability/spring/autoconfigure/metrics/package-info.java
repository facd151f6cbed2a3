/**
 * Metrics set-up: the common application tag and the registry the starter relies on.
 */
@NullMarked
package dev.observability.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
