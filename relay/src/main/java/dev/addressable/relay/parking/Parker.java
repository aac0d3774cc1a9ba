package dev.addressable.relay.parking;

import com.google.common.collect.Lists;
import dev.addressable.relay.memory.Fatal;
import dev.addressable.relay.memory.MemoryBudget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where requests wait. Holds the one timer thread that ends waits on time, and counts what is
 * parked so the relay can refuse more than it can hold.
 *
 * <p>No thread is held per parked request: a {@link Parked} is a small object in its waiting list
 * and in the {@link TimerWheel}, which the timer thread turns every {@value #TICK_MILLIS} ms.
 * Timeouts therefore end up to one tick late, never early. The timer thread only finds what is
 * due: the timeout answers are made (and written) on the {@code expiry} executor, in slices, so
 * thousands of polls ending at once never stall the timer. Thread-safe.
 */
public final class Parker implements AutoCloseable {

  static final long TICK_MILLIS = 10;
  /** 8,192 ticks of 10 ms: one turn is 82 s, about the longest poll; longer waits take more turns. */
  private static final int SLOTS = 8192;

  /** How many parked requests one pool task ends or wakes at a time, when many go at once. */
  public static final int SLICE = 256;

  private final ScheduledThreadPoolExecutor timers;
  private final TimerWheel wheel;
  private final AtomicInteger parked = new AtomicInteger();
  private final int maxParked;
  private final Executor expiry;
  private final MemoryBudget budget;

  /** A parker that answers timeouts on its timer thread: for tests and small tools. */
  public Parker(int maxParked) {
    this(maxParked, Runnable::run, MemoryBudget.unlimited());
  }

  /**
   * @param expiry where timeout answers are made: the relay's worker pool
   * @param budget charged for each parked request, never refusing one: a full relay must still let
   *     receivers wait for and take what it holds ({@code maxParked} bounds them)
   */
  public Parker(int maxParked, Executor expiry, MemoryBudget budget) {
    if (maxParked < 1) {
      throw new IllegalArgumentException("maxParked < 1: " + maxParked);
    }
    this.maxParked = maxParked;
    this.expiry = expiry;
    this.budget = budget;
    this.wheel = new TimerWheel(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS), SLOTS, System.nanoTime());
    this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "addressable-timer");
      thread.setDaemon(true);
      return thread;
    });
    timers.scheduleAtFixedRate(Fatal.guard("the timer wheel", () -> wheel.advance(System.nanoTime(), this::expire)),
        TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Parks a request until it is completed, discarded, or {@code timeout} passes; then it is
   * answered with {@code onTimeout}, through its {@link Parked#future()}. {@code onFinish} runs once
   * when it leaves, however it leaves (use it to take the request off its waiting list).
   *
   * @throws OverloadedException when {@code maxParked} requests are parked already
   */
  public <T> Parked<T> park(
      Duration timeout, Supplier<? extends T> onTimeout, Consumer<? super Parked<T>> onFinish) {
    return park(timeout, onTimeout, onFinish, null);
  }

  /**
   * Parks a request as {@link #park(Duration, Supplier, Consumer)} does, whose answer goes to
   * {@code listener} (on the thread that ends the wait) instead of a future: a parked long-poll
   * keeps fewer objects alive, and a young collection copies fewer.
   *
   * @param listener gets the answer, or the failure to make it; it must not throw
   */
  public <T> Parked<T> park(Duration timeout, Supplier<? extends T> onTimeout, Consumer<? super Parked<T>> onFinish,
      BiConsumer<? super T, ? super Throwable> listener) {
    if (timers.isShutdown()) {
      throw OverloadedException.shuttingDown();
    }
    if (parked.incrementAndGet() > maxParked) {
      parked.decrementAndGet();
      throw new OverloadedException("the relay holds " + maxParked + " waiting requests already");
    }
    budget.reserve(MemoryBudget.PARKED);
    Parked<T> request = new Parked<>(this, onTimeout, onFinish, listener);
    wheel.add(request, System.nanoTime() + timeout.toNanos());
    if (timers.isShutdown()) {
      request.expire(); // drain may have swept the wheel before this request joined it
    }
    return request;
  }

  /** A request left, however it left: off the books. */
  void left(Parked<?> request) {
    wheel.remove(request);
    parked.decrementAndGet();
    budget.unreserve(MemoryBudget.PARKED);
  }

  /** Requests parked right now. */
  public int parkedCount() {
    return parked.get();
  }

  /**
   * Runs {@code task} every {@code period} on the timer thread; for housekeeping sweeps. A task
   * that throws is logged and runs again next time.
   */
  public void every(Duration period, String name, Runnable task) {
    timers.scheduleWithFixedDelay(Fatal.guard(name, task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops parking and ends every parked request now, as if its timeout had come: each gets its
   * ordinary timeout answer (an empty poll answer, a heartbeat) instead of a dropped connection.
   * Used when the relay shuts down.
   */
  public void drain() {
    timers.shutdownNow();
    try {
      timers.awaitTermination(1, TimeUnit.SECONDS); // a tick or sweep under way finishes first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wheel.drain(due -> due.forEach(Parked::expire));
  }

  private void expire(List<Parked<?>> due) {
    for (List<Parked<?>> slice : Lists.partition(due, SLICE)) {
      try {
        expiry.execute(() -> slice.forEach(Parked::expire));
      } catch (RejectedExecutionException stopping) {
        slice.forEach(Parked::expire);
      }
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
