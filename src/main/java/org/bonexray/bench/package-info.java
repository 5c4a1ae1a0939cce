/**
 * Developer benchmarks: DenseNet inference and training throughput, memory over many steps, and the data
 * pipeline's images per second, each printed as one JSON line per workload.
 *
 * <p>Each workload is meant to run in a fresh JVM (the {@code bench} command runs one workload per call and
 * {@code tools/bench.sh} drives the calls), so that the peak resident set size it reports belongs to that
 * workload alone.
 */
package org.bonexray.bench;
