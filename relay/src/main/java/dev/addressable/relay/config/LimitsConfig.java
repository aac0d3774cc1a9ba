package dev.addressable.relay.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What bounds the relay against hostile and unlucky clients: memory, time to send a request, and
 * connections.
 *
 * @param maxMemory bytes of heap the relay may hold for what clients send it; 0 means
 *     {@link #memoryBudget() derived from the heap}
 * @param headerTimeout how long a request head may take to arrive, from its first byte
 * @param bodyTimeout how long a request body may take to arrive, from the end of its head
 * @param maxConnections open connections at once (beyond, the relay stops accepting until some
 *     close); 0 means {@link #connections() derived from the open-file limit}
 * @param midWindow how long a sender's message id ({@code mid}) is remembered, so that a retry
 *     within it is stored once
 */
public record LimitsConfig(long maxMemory, Duration headerTimeout, Duration bodyTimeout, int maxConnections,
    Duration midWindow) {

  /** The default window for {@code mid}s, as {@code --mid-window}'s default. */
  public static final Duration MID_WINDOW = Duration.ofSeconds(60);

  public LimitsConfig(long maxMemory, Duration headerTimeout, Duration bodyTimeout, int maxConnections) {
    this(maxMemory, headerTimeout, bodyTimeout, maxConnections, MID_WINDOW);
  }

  /** What the heap keeps for the JVM, connections and the relay's own structures, beyond the budget. */
  static final long HEAP_RESERVE = 64L << 20;
  /** The smallest budget the relay runs with. */
  static final long MIN_BUDGET = 16L << 20;

  /**
   * The memory budget in bytes: {@link #maxMemory}, or half of what the heap has beyond 64 MiB (at
   * least 16 MiB), so that connections and the JVM keep the other half.
   */
  public long memoryBudget() {
    return maxMemory > 0 ? maxMemory : defaultBudget(Runtime.getRuntime().maxMemory());
  }

  static long defaultBudget(long maxHeap) {
    return Math.max(MIN_BUDGET, (maxHeap - HEAP_RESERVE) / 2);
  }

  /**
   * How many connections the relay holds at once: {@link #maxConnections}, or the process's
   * open-file limit less a hundredth (at least 100 files) kept for everything else: the jars, the
   * selectors, the data directory and the webhook client need a few dozen.
   */
  public int connections() {
    return maxConnections > 0 ? maxConnections : defaultConnections(openFileLimit());
  }

  static int defaultConnections(long openFiles) {
    long reserve = Math.max(100, openFiles / 100);
    return (int) Math.max(16, Math.min(Integer.MAX_VALUE, openFiles - reserve));
  }

  /** The process's open-file limit, or 65,536 where the JVM cannot tell. */
  static long openFileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long max = unix.getMaxFileDescriptorCount();
      if (max > 0) {
        return max;
      }
    }
    return 65_536;
  }
}
