package dev.addressable.relay.cluster;

import dev.addressable.relay.store.StoreBusy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the scripts this node has sent to Redis and not yet had answered. Redis runs one command
 * at a time: when relays send work faster than it runs, what they sent waits in its queue, and a
 * command's wait there grows until it passes {@code --redis-timeout}. Then even a {@code PING}
 * goes unanswered in time, the node turns degraded although Redis is up, its waiting receivers
 * come back at once, and the queue grows further (seen at 100,000 subscribers of one topic, issue
 * 17). With at most {@link #most} in Redis per node, a command waits there at most that many
 * scripts' time; the rest wait here, in order, where waiting costs Redis nothing and no timeout
 * runs. Past {@link #queue} waiting here, a call fails at once with {@link StoreBusy} (503
 * {@code overloaded} with a {@code Retry-After}): memory stays bounded whatever clients send.
 *
 * <p>Thread-safe and lock-free; a finished call starts the next on the thread that finished it
 * (Lettuce's, which only writes the command).
 */
final class InFlight {

  /** Scripts one node may have in Redis at once, by default: a few milliseconds of Redis's time. */
  static final int MOST = 128;
  /** Scripts that may wait here for room, by default. */
  static final int QUEUE = 65_536;

  private final int most;
  private final int queue;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ConcurrentLinkedQueue<Runnable> line = new ConcurrentLinkedQueue<>();
  private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);

  InFlight() {
    this(MOST, QUEUE);
  }

  InFlight(int most, int queue) {
    this.most = most;
    this.queue = queue;
  }

  /**
   * Starts {@code call} when there is room for it in Redis: now, or after the calls before it.
   *
   * @return its outcome; a {@link StoreBusy} if too many wait already
   */
  <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
    if (waiting.incrementAndGet() > queue) {
      waiting.decrementAndGet();
      return CompletableFuture.failedFuture(new StoreBusy("the relay's store has " + queue
          + " of this relay's commands waiting; try again shortly"));
    }
    CompletableFuture<T> outcome = new CompletableFuture<>();
    line.add(() -> {
      CompletableFuture<T> started;
      try {
        started = call.get();
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
      started.whenComplete((value, failure) -> {
        running.decrementAndGet();
        drain();
        if (failure != null) {
          outcome.completeExceptionally(failure);
        } else {
          outcome.complete(value);
        }
      });
    });
    drain();
    return outcome;
  }

  /** Scripts in Redis now. */
  int running() {
    return running.get();
  }

  /** Scripts waiting here now. */
  int waiting() {
    return waiting.get();
  }

  /** Starts waiting calls while there is room; a call that finishes at once drains in the loop, not deeper. */
  private void drain() {
    if (draining.get()) {
      return; // a drain further up this thread's stack goes on with the loop
    }
    draining.set(true);
    try {
      drainNow();
    } finally {
      draining.set(false);
    }
  }

  private void drainNow() {
    while (true) {
      int now = running.get();
      if (now >= most) {
        return; // the call that frees room drains again
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      Runnable next = line.poll();
      if (next == null) {
        running.decrementAndGet();
        if (line.isEmpty()) {
          return;
        }
        continue; // added after this poll, by a caller that found no room while this one held it
      }
      waiting.decrementAndGet();
      next.run();
    }
  }
}
