/**
 * Conditions on the starter's feature switches.
 */
@NullMarked
package dev.observability.spring.autoconfigure.condition;

import org.jspecify.annotations.NullMarked;
