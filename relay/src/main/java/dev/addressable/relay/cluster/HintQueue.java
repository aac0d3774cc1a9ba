package dev.addressable.relay.cluster;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where the pub/sub connection puts what it hears, on Lettuce's event loop: a bounded queue that a
 * task on the executor drains, one message at a time, in arrival order. Offering never blocks and
 * never runs the consumer; a full queue drops the message, counts it and tells {@code overflow}
 * (on the executor, once for the drops that come before it runs), since a dropped hint is a lost
 * hint and the node must look for what it announced (CLUSTER.md section 6). Also remembers when the connection was last heard from, for
 * the probe. Thread-safe.
 */
final class HintQueue {

  static final int CAPACITY = 65_536;

  private final ArrayBlockingQueue<String> queue;
  private final Executor executor;
  private final Consumer<String> consumer;
  private final Runnable overflow;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean overflowing = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private volatile long lastHeard = System.nanoTime();

  /**
   * @param consumer gets each message, on the executor, one at a time
   * @param overflow told on the executor after messages were dropped: once for all the drops
   *     made before it runs
   */
  HintQueue(int capacity, Executor executor, Consumer<String> consumer, Runnable overflow) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.executor = executor;
    this.consumer = consumer;
    this.overflow = overflow;
  }

  /** A message arrived: queued, or dropped and counted if the queue is full. Never blocks. */
  void offer(String message) {
    heard();
    if (!queue.offer(message)) {
      dropped.incrementAndGet();
      if (overflowing.compareAndSet(false, true)) {
        run(() -> {
          overflowing.set(false);
          overflow.run();
        });
      }
      return;
    }
    if (draining.compareAndSet(false, true)) {
      run(this::drain);
    }
  }

  /** The connection showed it is alive (a message, a subscription confirmed). */
  void heard() {
    lastHeard = System.nanoTime();
  }

  /** {@link System#nanoTime} when the connection was last heard from. */
  long lastHeard() {
    return lastHeard;
  }

  /** Messages dropped because the queue was full, since the start. */
  long dropped() {
    return dropped.get();
  }

  private void drain() {
    while (true) {
      String message;
      while ((message = queue.poll()) != null) {
        try {
          consumer.accept(message);
        } catch (RuntimeException e) {
          // A consumer must not throw; one that does loses this message only.
        }
      }
      draining.set(false);
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException shutDown) {
      draining.set(false); // the relay is stopping: nobody is left to tell
    }
  }
}
