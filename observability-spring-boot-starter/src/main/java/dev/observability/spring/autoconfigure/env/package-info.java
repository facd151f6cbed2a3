/**
 * Environment set-up: the seeds' environment variables as property aliases, and start-up
 * failure analysis.
 */
@NullMarked
package dev.observability.spring.autoconfigure.env;

import org.jspecify.annotations.NullMarked;
