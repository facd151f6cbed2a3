/**
 * Network helpers for guarding endpoints: client address ranges and constant-time secret
 * checks.
 */
@NullMarked
package dev.observability.core.net;

import org.jspecify.annotations.NullMarked;
