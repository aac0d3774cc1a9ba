package dev.addressable.relay.parking;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where requests wait. Holds the one timer thread that ends waits on time, and counts what is
 * parked so the relay can refuse more than it can hold.
 *
 * <p>No thread is held per parked request: a {@link Parked} is a small object in its waiting list
 * and one entry in the timer's queue. Thread-safe.
 */
public final class Parker implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timers;
  private final AtomicInteger parked = new AtomicInteger();
  private final int maxParked;

  public Parker(int maxParked) {
    if (maxParked < 1) {
      throw new IllegalArgumentException("maxParked < 1: " + maxParked);
    }
    this.maxParked = maxParked;
    this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "addressable-timer");
      thread.setDaemon(true);
      return thread;
    });
    timers.setRemoveOnCancelPolicy(true);
  }

  /**
   * Parks a request until it is completed, discarded, or {@code timeout} passes; then it is
   * answered with {@code onTimeout}. {@code onFinish} runs once when it leaves, however it leaves
   * (use it to take the request off its waiting list).
   *
   * @throws OverloadedException when {@code maxParked} requests are parked already
   */
  public <T> Parked<T> park(
      Duration timeout, Supplier<? extends T> onTimeout, Consumer<? super Parked<T>> onFinish) {
    if (timers.isShutdown()) {
      throw new OverloadedException("the relay is shutting down");
    }
    if (parked.incrementAndGet() > maxParked) {
      parked.decrementAndGet();
      throw new OverloadedException("the relay holds " + maxParked + " waiting requests already");
    }
    Parked<T> request = new Parked<>(self -> {
      parked.decrementAndGet();
      onFinish.accept(self);
    });
    request.arm(timers.schedule(() -> request.complete(onTimeout), timeout.toMillis(), TimeUnit.MILLISECONDS));
    return request;
  }

  /** Requests parked right now. */
  public int parkedCount() {
    return parked.get();
  }

  /** Runs {@code task} every {@code period} on the timer thread; for housekeeping sweeps. */
  public void every(Duration period, Runnable task) {
    timers.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops parking and ends every parked request now, as if its timeout had come: each gets its
   * ordinary timeout answer (an empty poll answer, a heartbeat) instead of a dropped connection.
   * Used when the relay shuts down.
   */
  public void drain() {
    for (Runnable pending : timers.shutdownNow()) {
      pending.run();
    }
  }

  public boolean isClosed() {
    return timers.isShutdown();
  }

  @Override
  public void close() {
    drain();
  }
}
