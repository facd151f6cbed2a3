/**
 * Sampling decisions, taken once per unit of work and cheaply enough for a request path.
 */
@NullMarked
package dev.observability.core.sampling;

import org.jspecify.annotations.NullMarked;
