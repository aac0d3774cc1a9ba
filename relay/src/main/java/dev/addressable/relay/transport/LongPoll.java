package dev.addressable.relay.transport;

import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.parking.Cancellable;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The long-poll transport (plain and JSONP alike): answers at once when the channel holds
 * something after the cursor, else parks the request until a hint's read finds something or the
 * timeout ends it with what is there then (usually nothing). Each poll is answered exactly once.
 * A poll's cursor also confirms receipt of everything before it.
 *
 * <p>A poll waits in its channel's {@link Room} before it reads, and the read takes its lease: a
 * message stored meanwhile is either in the read or hinted to the waiting poll.
 */
public final class LongPoll {

  /** A parked poll's timeout: {@link Waiter} answers empty at the poll's cursor. */
  private static final Supplier<Batch> TIMED_OUT = () -> null;

  private final Store store;
  private final Receivers receivers;
  private final Parker parker;
  private final PollConfig config;

  public LongPoll(Store store, Receivers receivers, Parker parker, PollConfig config) {
    this.store = store;
    this.receivers = receivers;
    this.parker = parker;
    this.config = config;
  }

  /**
   * Reads, or waits: then the answer goes to {@code then}, once, on the thread that ends the wait
   * (no future: a parked poll keeps fewer objects alive, and young collections copy fewer).
   *
   * @param after the receiver's cursor, or {@code null} to start at the end
   * @param confirms whether {@code after} came from the receiver (and so confirms receipt)
   * @param then gets the answer (or the failure to read it) if the poll waits; it must not throw
   * @param whileWaiting told how to call the wait off, once the poll is parked (before it reads), so
   *     a client that leaves is taken off the waiting list at once
   * @return the answer if there is one at once, or {@code null} if it comes later, through {@code then}
   * @throws dev.addressable.relay.store.BadCursor if the cursor is of a log's epoch but ahead of it
   * @throws TooManyWaitersException if the channel holds its limit and there is nothing to read
   * @throws OverloadedException if the relay holds its limit and there is nothing to read
   */
  public Batch poll(ChannelId channel, FeedCursor after, boolean confirms, Duration timeout,
      BiConsumer<? super Batch, ? super Throwable> then, Consumer<Cancellable> whileWaiting) {
    if (timeout.isZero()) {
      return readNow(channel, after, confirms, then, null);
    }
    // Wait first and read once: the read after joining the waiting list answers at once if
    // there is something (a receiver that polls again right after its answer usually finds
    // nothing, and reading twice was a tenth of serving its poll).
    Waiter waiter = new Waiter(receivers, receivers.room(channel), after, Lease.poll(timeout), then);
    Parked<Batch> parked;
    try {
      parked = parker.park(timeout, TIMED_OUT, waiter, waiter);
    } catch (OverloadedException full) {
      return readNow(channel, after, confirms, then, full); // no room to wait: answer if there is an answer
    }
    waiter.parked(parked);
    whileWaiting.accept(parked);
    try {
      receivers.enter(waiter, config.maxPerChannel());
    } catch (TooManyWaitersException full) {
      parked.discard();
      return readNow(channel, after, confirms, then, full);
    }
    return waiter.begin(confirms);
  }

  /**
   * Reads without waiting: a poll of timeout 0, or one with no room to wait ({@code full}), which
   * is refused with {@code full} when there is nothing to answer.
   */
  private Batch readNow(ChannelId channel, FeedCursor after, boolean confirms,
      BiConsumer<? super Batch, ? super Throwable> then, RuntimeException full) {
    CompletableFuture<Batch> read = store.readAndLease(channel, after, confirms, Lease.NONE).toCompletableFuture();
    if (read.isDone()) {
      return worthIt(Stages.now(read), full);
    }
    Stages.whenDone(read, receivers.executor(), (batch, failure) -> {
      if (failure != null) {
        then.accept(null, failure);
        return;
      }
      Batch answer;
      try {
        answer = worthIt(batch, full);
      } catch (RuntimeException refused) {
        then.accept(null, refused);
        return;
      }
      then.accept(answer, null);
    });
    return null;
  }

  private static Batch worthIt(Batch batch, RuntimeException full) {
    if (full != null && !batch.isWorthAnswering()) {
      throw full;
    }
    return batch;
  }
}
