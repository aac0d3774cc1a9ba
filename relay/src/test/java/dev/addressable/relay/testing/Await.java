package dev.addressable.relay.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Bounded waits for something that happens on another thread or in another process: checks every
 * 10 ms and fails with what was awaited and the last value seen once the time is up. Never a
 * fixed sleep: a test waits exactly as long as it must. The one way tests wait for a state;
 * a queue or a future is awaited with its own bounded {@code poll}/{@code get} instead.
 *
 * <pre>{@code
 * Await.until("the poll parked", SOON, () -> feed.isWaiting());
 * int parked = Await.value("5000 polls parked", Duration.ofSeconds(60), this::parked, n -> n >= 5000);
 * }</pre>
 *
 * <p>A check that throws counts as not yet: the wait goes on, and the last exception is the cause
 * of the failure if the time runs out.
 */
public final class Await {

  private static final long STEP_MILLIS = 10;

  private Await() {}

  /**
   * Waits until {@code condition} holds.
   *
   * @throws AssertionError naming {@code what} if it does not hold within {@code within}
   */
  public static void until(String what, Duration within, Callable<Boolean> condition) {
    poll(what, within, condition, Boolean.TRUE::equals, false);
  }

  /**
   * Waits until {@code value} gives something {@code ok} accepts, and returns it; on failure the
   * message carries the last value seen ({@code "only 4,990 parked"} says more than "false").
   */
  public static <T> T value(String what, Duration within, Callable<T> value, Predicate<? super T> ok) {
    return poll(what, within, value, ok, true);
  }

  private static <T> T poll(String what, Duration within, Callable<T> value, Predicate<? super T> ok, boolean tellLast) {
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
      if (System.nanoTime() - deadline > 0) {
        String seen = failure != null ? " (last check threw " + failure + ")" : tellLast ? " (last: " + last + ")" : "";
        AssertionError timedOut = new AssertionError(what + ": not within " + within.toMillis() + " ms" + seen);
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
