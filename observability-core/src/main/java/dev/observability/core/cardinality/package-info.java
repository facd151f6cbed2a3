/**
 * Cardinality limits that keep the data: a tag value beyond its budget is folded into
 * {@code __overflow__} instead of being dropped, and every fold is counted.
 */
@NullMarked
package dev.observability.core.cardinality;

import org.jspecify.annotations.NullMarked;
