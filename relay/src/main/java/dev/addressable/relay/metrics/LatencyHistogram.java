package dev.addressable.relay.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies counted in fixed service-level buckets, 1 ms to 10 s in 1-2-5 steps, plus one for
 * anything slower. Recording is a short scan of the bounds and two {@link LongAdder} adds: no
 * lock, no shared CAS loop, no clock read, so threads that record at once do not contend. Reading
 * ({@link #counts}) is not atomic across buckets: a scrape that races a record may see the bucket
 * before the sum, which Prometheus tolerates. Thread-safe.
 */
final class LatencyHistogram {

  /** Upper bounds of the buckets in milliseconds, inclusive (Prometheus's {@code le}). */
  static final long[] BOUNDS_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};

  private final LongAdder[] counts = new LongAdder[BOUNDS_MILLIS.length + 1];
  private final LongAdder sumMillis = new LongAdder();

  LatencyHistogram() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /**
   * Counts {@code count} deliveries that each took {@code millis}; a negative latency (the wall
   * clock stepped back) counts as 0.
   */
  void record(long millis, int count) {
    long latency = Math.max(0, millis);
    int bucket = 0;
    // Most deliveries take a few milliseconds, so a linear scan stops within the first buckets.
    while (bucket < BOUNDS_MILLIS.length && latency > BOUNDS_MILLIS[bucket]) {
      bucket++;
    }
    counts[bucket].add(count);
    sumMillis.add(latency * count);
  }

  /** How many fell in each bucket (above the bound before, at most this one's), the last above 10 s. */
  long[] counts() {
    long[] each = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      each[i] = counts[i].sum();
    }
    return each;
  }

  long sumMillis() {
    return sumMillis.sum();
  }
}
