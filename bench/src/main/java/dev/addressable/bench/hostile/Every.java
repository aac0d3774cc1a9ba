package dev.addressable.bench.hostile;

import dev.addressable.bench.load.EventLoop;

/**
 * A task run on an event loop every {@code periodMillis} until cancelled. The first run is one
 * period after {@link #start}. Runs never overlap (they are on the loop's one thread).
 */
final class Every {

  private final EventLoop loop;
  private final long periodMillis;
  private final Runnable task;
  private volatile boolean cancelled;

  private Every(EventLoop loop, long periodMillis, Runnable task) {
    if (periodMillis < 1) {
      throw new IllegalArgumentException("periodMillis < 1: " + periodMillis);
    }
    this.loop = loop;
    this.periodMillis = periodMillis;
    this.task = task;
  }

  /** Starts {@code task} on {@code loop}; safe from any thread. */
  static Every start(EventLoop loop, long periodMillis, Runnable task) {
    Every e = new Every(loop, periodMillis, task);
    loop.execute(e::arm);
    return e;
  }

  void cancel() {
    cancelled = true;
  }

  private void arm() {
    if (!cancelled) {
      loop.schedule(periodMillis, this::fire);
    }
  }

  private void fire() {
    if (cancelled) {
      return;
    }
    try {
      task.run();
    } finally {
      arm();
    }
  }
}
