package dev.addressable.relay.parking;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A request waiting without a thread: for a message, an event or its timeout, whichever comes
 * first. It finishes exactly once: {@link #complete}, the timeout and {@link #discard} race through
 * one compare-and-set, and only the winner computes an answer and completes {@link #future()}.
 * Whoever loses gets {@code false} and must not answer.
 *
 * <p>Made by {@link Parker#park}; thread-safe.
 */
public final class Parked<T> {

  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final Consumer<Parked<T>> onFinish;
  private volatile ScheduledFuture<?> timer;

  Parked(Consumer<Parked<T>> onFinish) {
    this.onFinish = onFinish;
  }

  /** Completes when the request has its answer; never completes if {@link #discard}ed. */
  public CompletableFuture<T> future() {
    return future;
  }

  /**
   * Answers the request with what {@code answer} returns, if nothing answered it yet. The supplier
   * runs on the calling thread, after this request left the relay's books, and only for the winner.
   *
   * @return whether this call won
   */
  public boolean complete(Supplier<? extends T> answer) {
    if (!finish()) {
      return false;
    }
    try {
      future.complete(answer.get());
    } catch (RuntimeException | Error e) {
      future.completeExceptionally(e);
    }
    return true;
  }

  /** Finishes the request without answering it: the caller answers by other means. */
  public boolean discard() {
    return finish();
  }

  public boolean isFinished() {
    return finished.get();
  }

  void arm(ScheduledFuture<?> timer) {
    this.timer = timer;
    if (finished.get()) {
      timer.cancel(false);
    }
  }

  private boolean finish() {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    onFinish.accept(this);
    return true;
  }
}
