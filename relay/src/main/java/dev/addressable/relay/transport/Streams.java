package dev.addressable.relay.transport;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.ChannelId;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Opens {@link StreamPump}s for the streaming transports and counts the open ones. Thread-safe. */
public final class Streams {

  private final Receivers receivers;
  private final Parker parker;
  private final Duration heartbeat;
  private final int maxWaiters;
  private final Executor executor;
  private final LongSupplier clock;
  private final AtomicInteger open = new AtomicInteger();

  public Streams(Receivers receivers, Parker parker, Duration heartbeat, int maxWaiters, Executor executor,
      LongSupplier clock) {
    this.receivers = receivers;
    this.parker = parker;
    this.heartbeat = heartbeat;
    this.maxWaiters = maxWaiters;
    this.executor = executor;
    this.clock = clock;
  }

  /**
   * Starts feeding {@code sink} with what comes after {@code after} in {@code channel}, which the
   * read that opened the stream holds ({@link dev.addressable.relay.store.Lease#STREAM}) and
   * the pump gives back when it stops. The caller stops the pump when its connection closes.
   */
  public StreamPump open(ChannelId channel, FeedCursor after, StreamSink sink) {
    open.incrementAndGet();
    StreamPump pump = new StreamPump(channel, after, receivers, parker, heartbeat, maxWaiters, executor, clock, sink,
        open::decrementAndGet);
    pump.start();
    return pump;
  }

  public int openCount() {
    return open.get();
  }
}
