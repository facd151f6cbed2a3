/**
 * Endpoint normalization: turns a raw request path that matched no route into a bounded
 * template such as {@code /users/{id}}.
 */
@NullMarked
package dev.observability.core.normalization;

import org.jspecify.annotations.NullMarked;
