package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.store.Stages;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Answers made from a store's answer: at once when the stage is complete (the memory store's
 * always are), else later through the request's {@link Exchange}, made on the relay's pool once
 * the stage completes (never on the store's thread, never by a thread that waits for it).
 */
public final class Later {

  private final Executor executor;
  private final Metrics metrics;

  /** @param executor where answers that come later are made: the relay's pool */
  public Later(Executor executor, Metrics metrics) {
    this.executor = executor;
    this.metrics = metrics;
  }

  /**
   * The answer {@code then} makes of the stage's value, now; or {@code null}, and that answer (or
   * the error answer of the stage's failure) goes through {@code exchange} when it completes.
   *
   * @throws RuntimeException the stage's failure, if it is complete and failed: the caller answers it as any
   */
  public <T> Answer answer(CompletionStage<T> stage, Exchange exchange, String callback,
      Function<? super T, Answer> then) {
    if (Stages.isDone(stage)) {
      return then.apply(Stages.now(stage));
    }
    stage.toCompletableFuture().whenCompleteAsync((value, failure) -> {
      Answer answer;
      Throwable refused = failure == null ? null : Stages.unwrap(failure);
      if (refused == null) {
        try {
          answer = then.apply(value);
        } catch (RuntimeException e) {
          refused = e;
          answer = null;
        }
      } else {
        answer = null;
      }
      if (refused != null) {
        metrics.error();
        exchange.answer(Answer.failed(refused, callback));
      } else if (answer != null) { // null: answered by other means (a stream)
        if (answer.status() >= 400) {
          metrics.error();
        }
        exchange.answer(answer);
      }
    }, executor);
    return null;
  }

  /** Where later work runs. */
  public Executor executor() {
    return executor;
  }
}
