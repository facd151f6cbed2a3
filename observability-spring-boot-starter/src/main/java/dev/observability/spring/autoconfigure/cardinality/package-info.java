/**
 * Cardinality limits for every meter of the registry, with the overflow counter and, when
 * Actuator is present, the {@code cardinality} endpoint and health contributor.
 */
@NullMarked
package dev.observability.spring.autoconfigure.cardinality;

import org.jspecify.annotations.NullMarked;
