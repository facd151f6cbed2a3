/**
 * Extension points of the starter's HTTP instrumentation that applications implement as
 * beans.
 */
@NullMarked
package dev.observability.spring.http;

import org.jspecify.annotations.NullMarked;
