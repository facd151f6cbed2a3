/**
 * The Prometheus scrape endpoint on the application port and its optional guards.
 */
@NullMarked
package dev.observability.spring.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
