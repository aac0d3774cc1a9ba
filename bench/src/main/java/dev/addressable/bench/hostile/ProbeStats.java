package dev.addressable.bench.hostile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addressable.bench.load.Histogram;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one well-behaved probe saw during a phase: the latency of every attempt (a timed-out attempt
 * counts with the time it was given up at, so the maximum never hides a stall) and its failures
 * by kind ({@code timeout}, {@code refused}, {@code 5xx}, …). Thread-safe: the probe's loop records,
 * the main thread reads.
 */
final class ProbeStats {

  private final Histogram latency = new Histogram();
  private final Map<String, Long> failures = new TreeMap<>();
  private long attempts;

  synchronized void attempt() {
    attempts++;
  }

  synchronized void record(long nanos) {
    latency.record(nanos);
  }

  synchronized void fail(String kind) {
    failures.merge(kind, 1L, Long::sum);
  }

  /** Forgets everything seen so far (the end of the warm-up). */
  synchronized void reset() {
    latency.reset();
    failures.clear();
    attempts = 0;
  }

  synchronized long failureCount() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  synchronized double p99Millis() {
    return latency.quantile(0.99) / 1e6;
  }

  synchronized double maxMillis() {
    return latency.max() / 1e6;
  }

  synchronized long count() {
    return latency.count();
  }

  synchronized void writeTo(ObjectNode node) {
    node.put("attempts", attempts).put("measured", latency.count())
        .put("p50_ms", round(latency.quantile(0.5) / 1e6)).put("p99_ms", round(latency.quantile(0.99) / 1e6))
        .put("max_ms", round(latency.max() / 1e6)).put("failures", failureCount());
    ObjectNode f = node.putObject("failure_kinds");
    failures.forEach(f::put);
  }

  /** "p99 3.1 ms, max 12 ms, 0 failures": for progress lines. */
  synchronized String brief() {
    return String.format("p99 %.1f ms, max %.1f ms, %d failures", p99Millis(), maxMillis(), failureCount());
  }

  private static double round(double millis) {
    return Math.round(millis * 100) / 100.0;
  }
}
