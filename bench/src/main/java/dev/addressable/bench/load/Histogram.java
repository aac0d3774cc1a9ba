package dev.addressable.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts non-negative values (nanoseconds here) in log-linear buckets: exact below 128, and 64
 * buckets per power of two above, so any quantile is within 1.6% of the true value. The maximum
 * and minimum are kept exactly. Mergeable, so each load process keeps its own and the coordinator
 * adds them up. Not thread-safe: one event loop owns each.
 */
public final class Histogram {

  private static final int EXACT = 128;
  private static final int PER_OCTAVE = 64;
  private static final int BUCKETS = EXACT + 56 * PER_OCTAVE;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;
  private long min = Long.MAX_VALUE;

  public void record(long value) {
    long v = Math.max(0, value);
    counts[index(v)]++;
    total++;
    max = Math.max(max, v);
    min = Math.min(min, v);
  }

  public long count() {
    return total;
  }

  public long max() {
    return total == 0 ? 0 : max;
  }

  public long min() {
    return total == 0 ? 0 : min;
  }

  /**
   * The value at quantile {@code q} (0..1): the middle of the bucket holding the ceil(q * count)-th
   * smallest value, clamped to the exact minimum and maximum. 0 when empty.
   */
  public long quantile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("q outside 0..1: " + q);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(max, Math.max(min, middle(i)));
      }
    }
    return max;
  }

  public void add(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    if (other.total > 0) {
      max = Math.max(max, other.max);
      min = Math.min(min, other.min);
    }
  }

  public void reset() {
    Arrays.fill(counts, 0);
    total = 0;
    max = 0;
    min = Long.MAX_VALUE;
  }

  /** Sparse form for the wire between processes: [min, max, index, count, index, count, …]. */
  public List<Long> toSparse() {
    List<Long> out = new ArrayList<>();
    out.add(min());
    out.add(max());
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0) {
        out.add((long) i);
        out.add(counts[i]);
      }
    }
    return out;
  }

  public static Histogram fromSparse(List<Long> sparse) {
    Histogram h = new Histogram();
    for (int i = 2; i + 1 < sparse.size(); i += 2) {
      long n = sparse.get(i + 1);
      h.counts[Math.toIntExact(sparse.get(i))] += n;
      h.total += n;
    }
    if (h.total > 0) {
      h.min = sparse.get(0);
      h.max = sparse.get(1);
    }
    return h;
  }

  static int index(long v) {
    if (v < EXACT) {
      return (int) v;
    }
    int octave = 63 - Long.numberOfLeadingZeros(v); // >= 7
    int shift = octave - 6; // v >> shift is in [64, 128)
    return EXACT + (shift - 1) * PER_OCTAVE + (int) ((v >> shift) - PER_OCTAVE);
  }

  static long lowest(int index) {
    if (index < EXACT) {
      return index;
    }
    int shift = (index - EXACT) / PER_OCTAVE + 1;
    long top = (index - EXACT) % PER_OCTAVE + PER_OCTAVE;
    return top << shift;
  }

  private static long middle(int index) {
    if (index < EXACT) {
      return index;
    }
    int shift = (index - EXACT) / PER_OCTAVE + 1;
    return lowest(index) + (1L << shift) / 2;
  }
}
