package dev.addressable.relay.parking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A request waiting without a thread: for a message, an event or its timeout, whichever comes
 * first. It finishes exactly once: {@link #complete}, the timeout and {@link #discard} race through
 * one compare-and-set, and only the winner computes an answer and completes {@link #future()}.
 * Whoever loses gets {@code false} and must not answer.
 *
 * <p>Made by {@link Parker#park}; thread-safe. It is also its own entry in the parker's
 * {@link TimerWheel}, so a parked request costs this object and its future, nothing more.
 */
public final class Parked<T> {

  private static final VarHandle FINISHED;

  static {
    try {
      FINISHED = MethodHandles.lookup().findVarHandle(Parked.class, "finished", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final Supplier<? extends T> onTimeout;
  private final Consumer<Parked<T>> onFinish;
  @SuppressWarnings("unused") // through FINISHED
  private volatile boolean finished;

  // The timer wheel's bookkeeping, guarded by the lock of the slot the request is in.
  volatile TimerWheel.Slot slot;
  long tick;
  Parked<?> prev;
  Parked<?> next;

  Parked(Supplier<? extends T> onTimeout, Consumer<Parked<T>> onFinish) {
    this.onTimeout = onTimeout;
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
    return finished;
  }

  /** Its time is up (or the relay is stopping): answers with the timeout answer. */
  void expire() {
    complete(onTimeout);
  }

  private boolean finish() {
    if (!FINISHED.compareAndSet(this, false, true)) {
      return false;
    }
    onFinish.accept(this);
    return true;
  }
}
