package dev.addressable.relay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void wholeValuesBecomeIntegers() {
    assertEquals("42", PrometheusText.integer("42.0"));
    assertEquals("-1", PrometheusText.integer("-1.0"));
    assertEquals("268435456", PrometheusText.integer("2.68435456E8"));
    assertEquals("12345678901", PrometheusText.integer("1.2345678901E10"));
    assertEquals("250000000", PrometheusText.integer("2.5E8"));
  }

  @Test
  void otherValuesStayAsWritten() {
    assertEquals("0.005", PrometheusText.integer("0.005"));
    assertEquals("1.5E-4", PrometheusText.integer("1.5E-4"));
    assertEquals("NaN", PrometheusText.integer("NaN"));
    assertEquals("+Inf", PrometheusText.integer("+Inf"));
    assertEquals("1.0E300", PrometheusText.integer("1.0E300"));
    assertEquals("7", PrometheusText.integer("7"));
  }

  @Test
  void onlySampleValuesChangeNeverCommentsOrLabels() {
    String in = "# HELP a_total A 1.0 thing.\n# TYPE a_total counter\na_total 3.0\n"
        + "b_bucket{id=\"G1 Eden Space\",le=\"1.0\"} 2.0\nc 0.5\n";
    assertEquals("# HELP a_total A 1.0 thing.\n# TYPE a_total counter\na_total 3\n"
        + "b_bucket{id=\"G1 Eden Space\",le=\"1.0\"} 2\nc 0.5\n", PrometheusText.withIntegers(in));
  }
}
