package dev.addressable.bench.scenario;

import java.util.List;
import java.util.SplittableRandom;

/** Send plans: paced (open loop, a fixed rate) and flood (each connection sends again at once). */
final class Plans {

  private Plans() {}

  /** {@code perSecond} sends to random addresses for {@code seconds}, on schedule. */
  static Senders.Plan paced(double perSecond, double seconds, List<String> addresses, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long duration = (long) (seconds * 1e9);
    return new Senders.Plan() {
      private long start = -1;
      private long issued;

      @Override
      public String next(long now) {
        if (start < 0) {
          start = now;
        }
        long elapsed = now - start;
        if (elapsed >= duration || issued >= (long) (elapsed / 1e9 * perSecond) + 1) {
          return null;
        }
        issued++;
        return addresses.get(random.nextInt(addresses.size()));
      }
    };
  }

  /** As many sends to random addresses as the connections carry, for {@code seconds}. */
  static Senders.Plan flood(double seconds, List<String> addresses, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long duration = (long) (seconds * 1e9);
    return new Senders.Plan() {
      private long start = -1;

      @Override
      public String next(long now) {
        if (start < 0) {
          start = now;
        }
        return now - start >= duration ? null : addresses.get(random.nextInt(addresses.size()));
      }
    };
  }

  /** One send to {@code address}. */
  static Senders.Plan once(String address) {
    return new Senders.Plan() {
      private boolean done;

      @Override
      public String next(long now) {
        if (done) {
          return null;
        }
        done = true;
        return address;
      }
    };
  }
}
