package dev.addressable.relay.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Bounded waits for something that happens on another thread or in another process: checks every
 * 10 ms and fails with what was awaited and the last value seen once the time is up. Never a
 * fixed sleep: a test waits exactly as long as it must.
 */
public final class Await {

  private static final long STEP_MILLIS = 10;

  private Await() {}

  /** Waits until {@code condition} holds. */
  public static void until(String what, Duration within, Callable<Boolean> condition) {
    value(what, within, condition, Boolean.TRUE::equals);
  }

  /** Waits until {@code value} gives something {@code ok} accepts, and returns it. */
  public static <T> T value(String what, Duration within, Callable<T> value, Predicate<? super T> ok) {
    long deadline = System.nanoTime() + within.toNanos();
    T last = null;
    Exception failure = null;
    while (true) {
      try {
        last = value.call();
        failure = null;
        if (ok.test(last)) {
          return last;
        }
      } catch (Exception e) {
        failure = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError timedOut = new AssertionError(what + ": not within " + within.toMillis() + " ms (last: " + last + ")");
        if (failure != null) {
          timedOut.initCause(failure);
        }
        throw timedOut;
      }
      try {
        Thread.sleep(STEP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(what + ": interrupted", e);
      }
    }
  }
}
