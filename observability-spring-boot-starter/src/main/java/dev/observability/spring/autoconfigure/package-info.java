/**
 * Auto-configuration of the Spring Observability Starters and the master switch
 * {@code observability.enabled}.
 */
@NullMarked
package dev.observability.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
