package dev.addressable.relay.transport;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.config.PollConfig;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.ReadResult;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The long-poll transport (plain and JSONP alike): answers at once when the inbox holds something
 * after the cursor, else parks the request on the inbox until a send wakes it or the timeout ends
 * it with an empty answer. Each poll is answered exactly once.
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
   * @throws IllegalArgumentException if the cursor is of this inbox but ahead of it
   * @throws dev.addressable.relay.inbox.TooManyWaitersException if the channel holds its limit
   * @throws dev.addressable.relay.parking.OverloadedException if the relay holds its limit
   */
  public CompletableFuture<ReadResult> poll(Channel channel, Cursor after, Duration timeout) {
    Inbox inbox = channel.inbox();
    ReadResult now = inbox.read(after);
    if (now.isWorthAnswering() || timeout.isZero()) {
      return CompletableFuture.completedFuture(now);
    }
    Parked<ReadResult> parked = parker.park(timeout, () -> inbox.read(after), p -> {
      inbox.unpark(p);
      channel.touch(clock.getAsLong());
    });
    ReadResult raced;
    try {
      raced = inbox.readOrPark(after, parked, config.maxPerChannel());
    } catch (RuntimeException e) {
      parked.discard();
      throw e;
    }
    if (raced != null) {
      parked.discard();
      return CompletableFuture.completedFuture(raced);
    }
    return parked.future();
  }
}
