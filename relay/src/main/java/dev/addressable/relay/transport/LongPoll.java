package dev.addressable.relay.transport;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.feed.TooManyWaitersException;
import dev.addressable.relay.parking.Cancellable;
import dev.addressable.relay.parking.OverloadedException;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The long-poll transport (plain and JSONP alike): answers at once when the channel's feed holds
 * something after the cursor, else parks the request until a send wakes it or the timeout ends it
 * with an empty answer. Each poll is answered exactly once. A poll's cursor also confirms receipt
 * of everything before it.
 */
public final class LongPoll {

  private final Parker parker;
  private final PollConfig config;
  private final LongSupplier clock;

  public LongPoll(Parker parker, PollConfig config, LongSupplier clock) {
    this.parker = parker;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Reads, or waits: then the answer goes to {@code then}, once, on the thread that ends the wait
   * (no future: a parked poll keeps fewer objects alive, and young collections copy fewer).
   *
   * @param confirms whether {@code after} came from the receiver (and so confirms receipt)
   * @param then gets the answer (or the failure to read it) if the poll waits; it must not throw
   * @param whileWaiting told how to call the wait off, once the poll is parked (before it reads), so
   *     a client that leaves is taken off the waiting list at once
   * @return the answer if there is one at once, or {@code null} if the poll waits
   * @throws IllegalArgumentException if the cursor is of a log's epoch but ahead of it
   * @throws dev.addressable.relay.feed.TooManyWaitersException if the channel holds its limit
   * @throws dev.addressable.relay.parking.OverloadedException if the relay holds its limit
   */
  public Batch poll(Channel channel, FeedCursor after, boolean confirms, Duration timeout,
      BiConsumer<? super Batch, ? super Throwable> then, Consumer<Cancellable> whileWaiting) {
    Feed feed = channel.feed();
    if (timeout.isZero()) {
      return readNow(feed, after, confirms);
    }
    // Park first and read once: the read after joining the waiting list answers at once if
    // there is something (a receiver that polls again right after its answer usually finds
    // nothing, and reading twice was a tenth of serving its poll).
    Batch raced;
    try {
      Wait wait = new Wait(feed, after, channel, clock);
      Parked<Batch> parked = parker.park(timeout, wait, wait, then);
      whileWaiting.accept(parked);
      try {
        raced = feed.readOrPark(after, parked, config.maxPerChannel());
      } catch (RuntimeException e) {
        parked.discard();
        throw e;
      }
    } catch (TooManyWaitersException | OverloadedException full) {
      Batch now = readNow(feed, after, confirms); // no room to wait: answer if there is an answer
      if (now.isWorthAnswering()) {
        return now;
      }
      throw full;
    }
    if (confirms) {
      feed.confirm(after);
    }
    return raced;
  }

  private static Batch readNow(Feed feed, FeedCursor after, boolean confirms) {
    Batch now = feed.read(after);
    if (confirms) {
      feed.confirm(after);
    }
    return now;
  }

  /**
   * A waiting poll's two duties, in one object: the timeout answer (whatever is there then), and
   * leaving the channel's waiting list, which makes the channel seen.
   */
  private record Wait(Feed feed, FeedCursor after, Channel channel, LongSupplier clock)
      implements Supplier<Batch>, Consumer<Parked<Batch>> {

    @Override
    public Batch get() {
      return feed.read(after);
    }

    @Override
    public void accept(Parked<Batch> parked) {
      feed.unpark(parked);
      channel.touch(clock.getAsLong());
    }
  }
}
