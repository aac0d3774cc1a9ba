package dev.addressable.relay.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Moves the completion of a Lettuce future off Lettuce's event loop: what a caller chains on a
 * future it got from this package runs on the caller's executor, never on a Netty thread, where
 * a blocking or slow step would stall every connection to Redis.
 */
final class Handoff {

  private Handoff() {}

  /**
   * A future that completes like {@code stage}, on {@code executor} (or on the completing thread
   * once the executor refuses work, i.e. after it shut down); failures arrive unwrapped.
   */
  static <T> CompletableFuture<T> to(Executor executor, CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      Runnable complete = () -> {
        if (failure != null) {
          out.completeExceptionally(unwrap(failure));
        } else {
          out.complete(value);
        }
      };
      try {
        executor.execute(complete);
      } catch (RejectedExecutionException shutDown) {
        complete.run();
      }
    });
    return out;
  }

  /**
   * A call to Redis as callers of this package see it: its outcome reported to {@code health}
   * (on the completing thread, cheaply), failures of availability turned into
   * {@link RedisUnavailableException}, completion moved to {@code executor}.
   */
  static <T> CompletableFuture<T> observed(StoreHealth health, Executor executor, CompletionStage<T> call) {
    CompletableFuture<T> classified = call.toCompletableFuture().handle((value, failure) -> {
      health.observe(failure);
      if (failure != null) {
        throw new CompletionException(RedisUnavailableException.classify(failure));
      }
      return value;
    });
    return to(executor, classified);
  }

  /** The exception inside the wrappers that futures put around it. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
