package dev.addressable.relay.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Using a store's answers without waiting on a thread: a stage that is complete already (the
 * memory store's always are) is used at once, on the calling thread; one that is not hands its
 * work to an executor of the relay when it completes, never to the store's own threads.
 */
public final class Stages {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private Stages() {}

  /** A stage complete with nothing. Shared: do not complete it again. */
  @SuppressWarnings("unchecked")
  public static <T> CompletionStage<T> done() {
    return (CompletionStage<T>) DONE;
  }

  public static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  public static <T> CompletionStage<T> failed(Throwable failure) {
    return CompletableFuture.failedFuture(failure);
  }

  public static boolean isDone(CompletionStage<?> stage) {
    return stage.toCompletableFuture().isDone();
  }

  /**
   * The value of a complete stage, or the failure it completed with, thrown as it was raised.
   *
   * @throws IllegalStateException if the stage is not complete: never wait here
   */
  public static <T> T now(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (!future.isDone()) {
      throw new IllegalStateException("the stage is not complete: hand its work on instead of waiting");
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw rethrow(e.getCause() != null ? e.getCause() : e);
    }
  }

  /**
   * Runs {@code then} with the stage's outcome (the failure {@link #unwrap unwrapped}): at once on
   * this thread if it is complete, else on {@code executor} once it completes.
   */
  public static <T> void whenDone(CompletionStage<T> stage, Executor executor,
      BiConsumer<? super T, ? super Throwable> then) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (future.isDone()) {
      T value;
      try {
        value = now(future);
      } catch (RuntimeException | Error e) {
        then.accept(null, e);
        return;
      }
      then.accept(value, null);
      return;
    }
    future.whenCompleteAsync((value, failure) -> then.accept(value, failure == null ? null : unwrap(failure)), executor);
  }

  /**
   * {@code stage.thenApply(fn)}: on this thread if the stage is complete, else on {@code executor}
   * once it completes (never on the thread of whoever completes it: a store's I/O thread).
   */
  public static <T, U> CompletionStage<U> thenApply(CompletionStage<T> stage, Executor executor,
      Function<? super T, ? extends U> fn) {
    return isDone(stage) ? stage.thenApply(fn) : stage.thenApplyAsync(fn, executor);
  }

  /** {@code stage.thenCompose(fn)}, run as {@link #thenApply} runs its function. */
  public static <T, U> CompletionStage<U> thenCompose(CompletionStage<T> stage, Executor executor,
      Function<? super T, ? extends CompletionStage<U>> fn) {
    return isDone(stage) ? stage.thenCompose(fn) : stage.thenComposeAsync(fn, executor);
  }

  /** {@code stage.handle(fn)}, run as {@link #thenApply} runs its function; the failure {@link #unwrap unwrapped}. */
  public static <T, U> CompletionStage<U> handle(CompletionStage<T> stage, Executor executor,
      BiFunction<? super T, Throwable, ? extends U> fn) {
    BiFunction<T, Throwable, U> unwrapped = (value, failure) -> fn.apply(value, failure == null ? null : unwrap(failure));
    return isDone(stage) ? stage.handle(unwrapped) : stage.handleAsync(unwrapped, executor);
  }

  /** The failure a {@link CompletionException} or {@link ExecutionException} wraps, else {@code failure}. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static RuntimeException rethrow(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof RuntimeException e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new CompletionException(t);
  }
}
