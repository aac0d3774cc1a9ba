package dev.addressable.relay.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Ends the process when the heap is as good as exhausted, even where no thread of the relay sees
 * the {@link OutOfMemoryError}: Jetty catches and logs errors in its selector and strategy loops,
 * and a relay whose every collection leaves the old generation full would go on refusing work
 * without ever exiting.
 *
 * <p>The rule: {@value #STRIKES} collections within {@value #WINDOW_MILLIS} ms that each leave the
 * old generation above {@value #PERCENT}% full. A relay that keeps to its memory budget stays far
 * below that (the budget is half the heap by default); a relay past it would throw
 * {@link OutOfMemoryError} at the next allocation anyway. Uses the JVM's own collection-usage
 * threshold notifications: no thread, no polling.
 */
public final class HeapWatchdog {

  static final int PERCENT = 97;
  static final int STRIKES = 3;
  static final long WINDOW_MILLIS = 10_000;

  private final Deque<Long> strikes = new ArrayDeque<>();

  private HeapWatchdog() {}

  /**
   * Watches the heap pool that collections leave fullest (the old generation) of this JVM.
   *
   * @return whether the JVM offers what the watchdog needs
   */
  public static boolean install() {
    MemoryPoolMXBean old = null;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
          && pool.getUsage().getMax() > 0 && (old == null || isOld(pool))) {
        old = pool;
      }
    }
    if (old == null) {
      return false;
    }
    long max = old.getUsage().getMax();
    old.setCollectionUsageThreshold(max / 100 * PERCENT);
    HeapWatchdog watchdog = new HeapWatchdog();
    String poolName = old.getName();
    NotificationListener listener = (notification, handback) -> {
      if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
        watchdog.strike(System.currentTimeMillis(), poolName);
      }
    };
    ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
    return true;
  }

  private static boolean isOld(MemoryPoolMXBean pool) {
    String name = pool.getName();
    return name.contains("Old") || name.contains("Tenured");
  }

  synchronized void strike(long now, String pool) {
    strikes.addLast(now);
    while (!strikes.isEmpty() && now - strikes.peekFirst() > WINDOW_MILLIS) {
      strikes.removeFirst();
    }
    if (strikes.size() >= STRIKES) {
      Fatal.halt("java.lang.OutOfMemoryError: " + STRIKES + " collections in a row left " + pool + " over " + PERCENT
          + "% full");
    }
  }
}
