package dev.addressable.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void quantilesAreWithinTwoPercentOfTheTrueValue() {
    Histogram h = new Histogram();
    for (long v = 1; v <= 100_000; v++) {
      h.record(v * 1000);
    }
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      double truth = q * 100_000 * 1000;
      double got = h.quantile(q);
      assertTrue(Math.abs(got - truth) / truth < 0.02, q + ": " + got + " vs " + truth);
    }
    assertEquals(100_000_000, h.max());
    assertEquals(1000, h.min());
  }

  @Test
  void smallValuesAreExact() {
    Histogram h = new Histogram();
    h.record(3);
    h.record(100);
    assertEquals(3, h.quantile(0.5));
    assertEquals(100, h.quantile(1.0));
  }

  @Test
  void bucketsCoverEveryValueInOrder() {
    long previous = -1;
    for (long v : new long[] {0, 1, 127, 128, 129, 255, 256, 1_000_000, Long.MAX_VALUE / 4}) {
      int i = Histogram.index(v);
      assertTrue(Histogram.lowest(i) <= v, "lowest of bucket of " + v);
      assertTrue(i >= previous, "index order at " + v);
      previous = i;
    }
  }

  @Test
  void survivesTheTripBetweenProcessesAndMerges() {
    Histogram a = new Histogram();
    Histogram b = new Histogram();
    a.record(5_000);
    b.record(9_000_000);
    Histogram merged = Histogram.fromSparse(a.toSparse());
    merged.add(Histogram.fromSparse(b.toSparse()));
    assertEquals(2, merged.count());
    assertEquals(9_000_000, merged.max());
    assertEquals(5_000, merged.min());
  }
}
