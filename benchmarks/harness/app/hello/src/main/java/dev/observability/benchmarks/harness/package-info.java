/**
 * The trivial app that the overhead harness ({@code benchmarks/harness/run.sh}) runs in
 * every configuration it compares. Method and results:
 * {@code benchmarks/harness/README.md}.
 */
@NullMarked
package dev.observability.benchmarks.harness;

import org.jspecify.annotations.NullMarked;
