package dev.addressable.relay.transport;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

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
   * Reads or waits.
   *
   * @param confirms whether {@code after} came from the receiver (and so confirms receipt)
   * @throws IllegalArgumentException if the cursor is of a log's epoch but ahead of it
   * @throws dev.addressable.relay.feed.TooManyWaitersException if the channel holds its limit
   * @throws dev.addressable.relay.parking.OverloadedException if the relay holds its limit
   */
  public CompletableFuture<Batch> poll(Channel channel, FeedCursor after, boolean confirms, Duration timeout) {
    Feed feed = channel.feed();
    Batch now = feed.read(after);
    if (confirms) {
      feed.confirm(after);
    }
    if (now.isWorthAnswering() || timeout.isZero()) {
      return CompletableFuture.completedFuture(now);
    }
    Parked<Batch> parked = parker.park(timeout, () -> feed.read(after), p -> {
      feed.unpark(p);
      channel.touch(clock.getAsLong());
    });
    Batch raced;
    try {
      raced = feed.readOrPark(after, parked, config.maxPerChannel());
    } catch (RuntimeException e) {
      parked.discard();
      throw e;
    }
    return raced != null ? CompletableFuture.completedFuture(raced) : parked.future();
  }
}
