package dev.addressable.relay.store;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A store operation's outcome, awaited for at most 10 s: its value, or the failure it completed with. */
public final class Outcomes {

  private Outcomes() {}

  public static <T> T get(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  public static Throwable failure(CompletionStage<?> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return Stages.unwrap(e);
    }
    throw new AssertionError("the operation succeeded");
  }
}
