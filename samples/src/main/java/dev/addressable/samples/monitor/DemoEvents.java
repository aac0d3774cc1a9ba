package dev.addressable.samples.monitor;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Made-up but plausible activity of a web shop, as the monitor's senders report it:
 * {@code "<kind>: <text>"}, e.g. {@code "query: orders by customer took 230 ms"}. Not thread-safe.
 */
final class DemoEvents {

  private static final List<String> CITIES = List.of("Lisbon", "Berlin", "Osaka", "Austin", "Lyon", "Oslo", "Pune");
  private static final List<String> QUERIES = List.of("orders by customer", "product search", "cart totals",
      "stock levels", "recommendations");
  private static final List<String> ERRORS = List.of("payment gateway timeout (502)", "image resize failed",
      "mail queue full, retrying", "slow disk on db-2");

  private final Random random = new Random();

  String next() {
    int roll = random.nextInt(100);
    if (roll < 30) {
      return "login: user " + (1000 + random.nextInt(9000)) + " logged in";
    } else if (roll < 68) {
      int ms = (int) Math.min(2500, 20 + Math.abs(random.nextGaussian()) * 180);
      return "query: " + pick(QUERIES) + " took " + ms + " ms";
    } else if (roll < 84) {
      return String.format(Locale.ROOT, "checkout: €%.2f", 8 + random.nextDouble() * 140);
    } else if (roll < 95) {
      return "signup: new account from " + pick(CITIES);
    }
    return "error: " + pick(ERRORS);
  }

  private String pick(List<String> from) {
    return from.get(random.nextInt(from.size()));
  }
}
