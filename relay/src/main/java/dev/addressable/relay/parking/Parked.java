package dev.addressable.relay.parking;

import dev.addressable.relay.memory.Fatal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request waiting without a thread: for a message, an event or its timeout, whichever comes
 * first. It finishes exactly once: {@link #complete}, the timeout and {@link #discard} race through
 * one compare-and-set, and only the winner computes an answer and hands it on: to
 * {@link #future()}, or to the listener it was parked with. Whoever loses gets {@code false} and
 * must not answer.
 *
 * <p>Made by {@link Parker#park}; thread-safe. It is also its own entry in the parker's
 * {@link TimerWheel}, so a parked request costs this object and its future, or with a listener
 * this object alone.
 */
public final class Parked<T> implements Cancellable {

  private static final Logger LOG = LoggerFactory.getLogger(Parked.class);
  private static final VarHandle FINISHED;

  static {
    try {
      FINISHED = MethodHandles.lookup().findVarHandle(Parked.class, "finished", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Parker parker;
  /** Where the answer goes: this future, or else {@link #listener}. */
  private final CompletableFuture<T> future;
  private final BiConsumer<? super T, ? super Throwable> listener;
  private final Supplier<? extends T> onTimeout;
  private final Consumer<? super Parked<T>> onFinish;
  @SuppressWarnings("unused") // through FINISHED
  private volatile boolean finished;

  // The timer wheel's bookkeeping, guarded by the lock of the slot the request is in.
  volatile TimerWheel.Slot slot;
  long tick;
  Parked<?> prev;
  Parked<?> next;

  /**
   * @param listener gets the answer (or the failure to make it) instead of a future, or
   *     {@code null} for a future
   */
  Parked(Parker parker, Supplier<? extends T> onTimeout, Consumer<? super Parked<T>> onFinish,
      BiConsumer<? super T, ? super Throwable> listener) {
    this.parker = parker;
    this.onTimeout = onTimeout;
    this.onFinish = onFinish;
    this.listener = listener;
    this.future = listener == null ? new CompletableFuture<>() : null;
    if (future != null) {
      future.whenComplete((value, failure) -> {
        if (future.isCancelled()) {
          discard(); // whoever waits on the future called it off
        }
      });
    }
  }

  /**
   * Completes when the request has its answer; never completes if {@link #discard}ed.
   *
   * @throws IllegalStateException if the request was parked with a listener instead
   */
  public CompletableFuture<T> future() {
    if (future == null) {
      throw new IllegalStateException("parked with a listener: its answer goes there");
    }
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
    T value;
    try {
      value = answer.get();
    } catch (RuntimeException | Error e) {
      Fatal.exitIfFatal(e);
      deliver(null, e);
      return true;
    }
    deliver(value, null);
    return true;
  }

  private void deliver(T value, Throwable failure) {
    if (future != null) {
      if (failure == null) {
        future.complete(value);
      } else {
        future.completeExceptionally(failure);
      }
      return;
    }
    try {
      listener.accept(value, failure);
    } catch (RuntimeException | Error e) { // the listener's own fault: the waker must go on with the rest
      Fatal.exitIfFatal(e);
      LOG.warn("a parked request's listener failed", e);
    }
  }

  /** Finishes the request without answering it: the caller answers by other means. */
  public boolean discard() {
    return finish();
  }

  /** The requester left: the request leaves the relay's books unanswered ({@link #discard}). */
  @Override
  public void cancel() {
    discard();
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
    parker.left(this);
    onFinish.accept(this);
    return true;
  }
}
