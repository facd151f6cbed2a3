/**
 * Framework-free HTTP server metrics: the meter catalogue and a recorder that caches
 * meters per route so that recording a request allocates nothing once warm.
 */
@NullMarked
package dev.observability.core.http;

import org.jspecify.annotations.NullMarked;
