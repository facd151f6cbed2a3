/**
 * JMH benchmarks of the request path's building blocks. Results and method:
 * {@code docs/performance.md}.
 */
@NullMarked
package dev.observability.benchmarks;

import org.jspecify.annotations.NullMarked;
