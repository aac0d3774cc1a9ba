package dev.addressable.relay.send;

import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.TopicId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Senders at this node waiting to hear that a receiver confirmed their message (a send with
 * {@code wait=}). A sender waits here first and asks the store second, so a confirmation is
 * either seen by that question or hinted to the waiting sender
 * ({@link dev.addressable.relay.store.Wakeups#confirmed}). A confirmation up to a position answers
 * every sender waiting for that position or an earlier one of the same epoch with {@code true};
 * one whose time runs out asks the store once more (a hint may have been lost), then is answered.
 * Thread-safe; senders are answered outside every lock.
 */
public final class Receipts {

  private final Store store;
  private final Parker parker;
  private final Executor executor;
  /** A channel's or topic's waiting senders, by its {@link ChannelId} or {@link TopicId}; changed in its map bin. */
  private final ConcurrentHashMap<Object, List<Pending>> waiting = new ConcurrentHashMap<>();

  private record Pending(Cursor position, Parked<Boolean> parked) {}

  public Receipts(Store store, Parker parker, Executor executor) {
    this.store = store;
    this.parker = parker;
    this.executor = executor;
  }

  /**
   * Completes with whether the channel's message at {@code position} is confirmed within
   * {@code wait}. Cancelling the future calls the wait off.
   *
   * @throws dev.addressable.relay.parking.OverloadedException if the relay holds its limit of waiting requests
   */
  public CompletableFuture<Boolean> await(ChannelId channel, Cursor position, Duration wait) {
    return await(channel, position, wait, () -> store.confirmed(channel));
  }

  /** The same for a topic's message, confirmed by any subscriber. */
  public CompletableFuture<Boolean> await(TopicId topic, Cursor position, Duration wait) {
    return await(topic, position, wait, () -> store.confirmed(topic));
  }

  private CompletableFuture<Boolean> await(Object key, Cursor position, Duration wait,
      Supplier<CompletionStage<Cursor>> confirmed) {
    Parked<Boolean> parked = parker.park(wait, () -> null, p -> leave(key, p));
    waiting.compute(key, (k, list) -> {
      List<Pending> next = list != null ? list : new ArrayList<>(1);
      next.add(new Pending(position, parked));
      return next;
    });
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    answer.whenComplete((value, failure) -> {
      if (answer.isCancelled()) {
        parked.discard(); // the sender went away
      }
    });
    parked.future().whenComplete((inTime, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else if (inTime != null) {
        answer.complete(inTime);
      } else {
        Stages.whenDone(confirmed.get(), executor, (upTo, refused) -> answer.complete(covers(upTo, position)));
      }
    });
    Stages.whenDone(confirmed.get(), executor, (upTo, refused) -> {
      if (covers(upTo, position)) {
        parked.complete(() -> true);
      }
    });
    return answer;
  }

  /** Receivers of the channel or topic {@code key} confirmed everything up to {@code upTo}. */
  public void confirmed(Object key, Cursor upTo) {
    if (!waiting.containsKey(key)) {
      return;
    }
    List<Parked<Boolean>> done = new ArrayList<>();
    waiting.computeIfPresent(key, (k, list) -> {
      for (Pending p : list) {
        if (covers(upTo, p.position())) {
          done.add(p.parked());
        }
      }
      return list;
    });
    done.forEach(p -> p.complete(() -> true));
  }

  private void leave(Object key, Parked<Boolean> parked) {
    waiting.computeIfPresent(key, (k, list) -> {
      list.removeIf(p -> p.parked() == parked);
      return list.isEmpty() ? null : list;
    });
  }

  private static boolean covers(Cursor upTo, Cursor position) {
    return upTo != null && upTo.epoch().equals(position.epoch()) && upTo.seq() >= position.seq();
  }
}
