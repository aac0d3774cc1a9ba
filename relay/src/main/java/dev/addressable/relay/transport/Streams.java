package dev.addressable.relay.transport;

import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Store;
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

  /**
   * Opens a hub's stream for {@code client} at {@code term}: its channels join and leave through
   * the returned {@link HubStream}, which counts as one open stream until it stops.
   *
   * @throws dev.addressable.relay.hub.StaleTermException if a newer leader of the client connected before
   */
  public HubStream openHub(ClientId client, long term, Hubs hubs, int maxChannels, HubStream.Sink sink) {
    HubStream hub = new HubStream(client, term, this, hubs, maxChannels, sink);
    open.incrementAndGet();
    try {
      hub.start();
    } catch (RuntimeException refused) {
      open.decrementAndGet();
      throw refused;
    }
    return hub;
  }

  /** Open SSE and WebSocket connections: a hub's counts once, however many channels it carries. */
  public int openCount() {
    return open.get();
  }

  /** A pump for one channel of a hub, not counted on its own; the caller starts it. */
  StreamPump pump(ChannelId channel, FeedCursor after, StreamSink sink) {
    return new StreamPump(channel, after, receivers, parker, heartbeat, maxWaiters, executor, clock, sink, () -> { });
  }

  /** A hub's stream stopped. */
  void closed() {
    open.decrementAndGet();
  }

  Store store() {
    return receivers.store();
  }

  Parker parker() {
    return parker;
  }

  Duration heartbeat() {
    return heartbeat;
  }

  Executor executor() {
    return executor;
  }

  long now() {
    return clock.getAsLong();
  }
}
