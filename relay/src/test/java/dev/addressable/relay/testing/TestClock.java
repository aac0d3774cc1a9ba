package dev.addressable.relay.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A relay's clock in tests: the real time plus however far the test has moved it on. A relay on
 * this clock behaves as on the system clock until {@link #advance} jumps it ahead; then everything
 * the relay dates by it (presence and its grace, message ages and TTLs, idle expiry) sees the later
 * time at once, while waits on sockets (poll timeouts, heartbeats) keep real time. So a test
 * passes a grace period or a TTL without sleeping through it, and asserts what holds just before
 * and just after. Thread-safe; it only ever moves forward by what real time and the test add.
 */
public final class TestClock implements LongSupplier {

  private final AtomicLong ahead = new AtomicLong();

  /** Now, epoch milliseconds, as the relay sees it. */
  @Override
  public long getAsLong() {
    return System.currentTimeMillis() + ahead.get();
  }

  /** Moves the clock on by {@code by}, at once. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock only moves on: " + by);
    }
    ahead.addAndGet(by.toMillis());
  }
}
