package dev.addressable.relay.metrics;

/**
 * The Prometheus text exposition as the relay serves it: the registry's output with every whole
 * sample value written as an integer ({@code 42}, not {@code 42.0}; {@code 268435456}, not
 * {@code 2.68435456E8}). The format allows either; the relay wrote integers before it used
 * Micrometer, and scripts, tests and the bench tools read counters and byte gauges that way.
 */
final class PrometheusText {

  /** Past this a double no longer holds every whole number exactly. */
  private static final double EXACT = 0x1p53;

  private PrometheusText() {}

  static String withIntegers(String exposition) {
    StringBuilder out = new StringBuilder(exposition.length());
    int from = 0;
    while (from < exposition.length()) {
      int end = exposition.indexOf('\n', from);
      if (end < 0) {
        end = exposition.length();
      }
      int space = exposition.lastIndexOf(' ', end - 1);
      if (exposition.charAt(from) == '#' || space < from) {
        out.append(exposition, from, end);
      } else {
        // A sample: name{labels} value (the registry writes no timestamps), so the value is last.
        out.append(exposition, from, space + 1).append(integer(exposition.substring(space + 1, end)));
      }
      if (end < exposition.length()) {
        out.append('\n');
      }
      from = end + 1;
    }
    return out.toString();
  }

  /** {@code value} as an integer if it is a whole number a double holds exactly; else unchanged. */
  static String integer(String value) {
    if (value.endsWith(".0") && isDigits(value, value.startsWith("-") ? 1 : 0, value.length() - 2)) {
      return value.substring(0, value.length() - 2);
    }
    if (value.indexOf('E') < 0) {
      return value;
    }
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return value;
    }
    return d == Math.rint(d) && Math.abs(d) < EXACT ? Long.toString((long) d) : value;
  }

  private static boolean isDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
