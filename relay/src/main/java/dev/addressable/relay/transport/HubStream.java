package dev.addressable.relay.transport;

import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.hub.Hubs;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Stages;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A hub's stream (WebSocket or SSE): one connection that carries several channels of one client,
 * each fed by a {@link StreamPump} of its own from its own cursor, each holding its channel
 * ({@link Lease#STREAM}) while joined. Channels join (a second join of the same channel starts it
 * again from the new cursor) and leave while the connection stays; a channel that cannot be read
 * (a bad cursor, a limit) is refused alone. The connection carries one heartbeat every heartbeat
 * interval whatever its channels do, which is also how a dead connection is found.
 *
 * <p>It is its client's open hub ({@link Hubs}) from {@link #start} until it stops; a newer
 * connection of the client closes it with {@code superseded}. Thread-safe; the sink's calls for one
 * channel come one at a time, those of different channels concurrently.
 */
public final class HubStream implements Hubs.Connection {

  /** The wire end of a hub's stream. */
  public interface Sink {

    /** Writes one channel's batch (a missed marker first if it says so); {@code then} as in {@link StreamSink}. */
    void deliver(String channel, Batch batch, Consumer<Boolean> then);

    /** Writes the connection's heartbeat; {@code then} as in {@link StreamSink}. */
    void heartbeat(long now, Consumer<Boolean> then);

    /** Tells the hub that one channel is not (or no longer) read here, and why; the connection stays. */
    void refuse(String channel, String code, String reason);

    /** Ends the whole connection from the relay's side. */
    void close(String code, String reason);
  }

  /** Codes of a pump's end that are about the relay, not the channel: they end the hub's whole connection. */
  private static final Set<String> RELAY_WIDE = Set.of("shutting_down", "store_unavailable",
      "overloaded", "memory_full");

  private final ClientId client;
  private final long term;
  private final Streams streams;
  private final int maxChannels;
  private final Sink sink;
  private final Hubs hubs;
  /** Joined channels by name; guarded by {@code this}. */
  private final Map<String, Slot> joined = new HashMap<>();
  private volatile Parked<Boolean> beat;
  private boolean stopped;

  HubStream(ClientId client, long term, Streams streams, Hubs hubs, int maxChannels, Sink sink) {
    this.client = client;
    this.term = term;
    this.streams = streams;
    this.hubs = hubs;
    this.maxChannels = maxChannels;
    this.sink = sink;
  }

  /**
   * Becomes the client's open hub and starts the heartbeat.
   *
   * @throws dev.addressable.relay.hub.StaleTermException if a newer leader connected before
   */
  void start() {
    hubs.open(client, term, this);
    beatLater();
  }

  public ClientId client() {
    return client;
  }

  /**
   * Starts delivering the channel after {@code cursor} ({@code null}: from its end), or starts it
   * again from there if it is joined already. A read first confirms what the cursor covers and
   * takes the channel's lease; a channel that cannot be read is refused through the sink.
   */
  public void join(String channel, FeedCursor cursor) {
    Slot slot;
    Slot replaced;
    synchronized (this) {
      if (stopped) {
        return;
      }
      replaced = joined.get(channel);
      if (replaced == null && joined.size() >= maxChannels) {
        slot = null;
      } else {
        slot = new Slot(channel);
        joined.put(channel, slot);
      }
    }
    if (slot == null) {
      sink.refuse(channel, "too_many_channels",
          "a hub carries at most " + maxChannels + " channels (--max-channels-per-client); this one is not joined");
      return;
    }
    if (replaced != null) {
      replaced.stop();
    }
    slot.start(cursor);
  }

  /** Stops delivering the channel (it stays live; its presence follows its other receivers). */
  public void leave(String channel) {
    Slot slot;
    synchronized (this) {
      slot = joined.remove(channel);
    }
    if (slot != null) {
      slot.stop();
    }
  }

  /** Whether the channel is joined now. */
  public synchronized boolean isJoined(String channel) {
    return joined.containsKey(channel);
  }

  /** How many channels are joined now. */
  public synchronized int size() {
    return joined.size();
  }

  /** Stops every channel and the heartbeat; the connection is closed by whoever called. Idempotent. */
  public void stop() {
    Slot[] slots;
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      slots = joined.values().toArray(new Slot[0]);
      joined.clear();
    }
    Parked<Boolean> waiting = beat;
    if (waiting != null) {
      waiting.discard();
    }
    for (Slot slot : slots) {
      slot.stop();
    }
    hubs.close(client, this);
    streams.closed();
  }

  @Override
  public void supersede(boolean sameTerm) {
    stop();
    sink.close("superseded", "a newer hub of this client connected (another tab took the lead, or this one reconnected)");
  }

  private void beatLater() {
    Parked<Boolean> parked;
    try {
      parked = streams.parker().park(streams.heartbeat(), () -> Boolean.TRUE, p -> { });
    } catch (RuntimeException full) {
      stop();
      sink.close("overloaded", "the relay holds as many waiting requests as it may; come back shortly");
      return;
    }
    beat = parked;
    synchronized (this) {
      if (stopped) {
        parked.discard();
        return;
      }
    }
    parked.future().whenCompleteAsync((due, failure) -> {
      if (failure == null && !isStopped()) {
        sink.heartbeat(streams.now(), alive -> {
          if (alive) {
            beatLater();
          } else {
            stop();
          }
        });
      }
    }, streams.executor());
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  /** One joined channel: its pump once its first read returned, and the wire end that tags its batches. */
  private final class Slot implements StreamSink {
    private final String name;
    private final ChannelId channel;
    private StreamPump pump;
    private boolean over;

    Slot(String name) {
      this.name = name;
      this.channel = client.channel(name);
    }

    void start(FeedCursor cursor) {
      Stages.whenDone(streams.store().readAndLease(channel, cursor, cursor != null, Lease.STREAM), streams.executor(),
          (batch, failure) -> {
            if (failure != null) {
              gone();
              Throwable cause = Stages.unwrap(failure);
              sink.refuse(name, StreamPump.codeOf(streams.parker(), cause), cause.getMessage());
              return;
            }
            StreamPump started;
            synchronized (this) {
              if (over) {
                started = null;
              } else {
                started = pump = streams.pump(channel, cursor != null ? cursor : batch.cursor(), this);
              }
            }
            if (started == null) {
              streams.store().release(channel, Lease.STREAM); // left before its stream began
            } else {
              started.start();
            }
          });
    }

    void stop() {
      StreamPump running;
      synchronized (this) {
        over = true;
        running = pump;
      }
      if (running != null) {
        running.stop();
      }
    }

    /** This slot ended by itself: off the hub, unless a later join replaced it. */
    private void gone() {
      synchronized (HubStream.this) {
        joined.remove(name, this);
      }
    }

    @Override
    public void deliver(Batch batch, Consumer<Boolean> then) {
      sink.deliver(name, batch, then);
    }

    @Override
    public void heartbeat(long now, Consumer<Boolean> then) {
      then.accept(true); // the connection's own heartbeat covers every channel
    }

    /**
     * The channel's pump stopped for a reason of its own. A reason that is the relay's, not the
     * channel's (shutting down, its store out of reach, full), ends the whole connection, as it
     * would end a channel's own stream, so the hub comes back with every channel; any other (a bad
     * cursor, a limit of this channel) refuses this channel alone.
     */
    @Override
    public void close(String code, String reason) {
      gone();
      if (RELAY_WIDE.contains(code)) {
        HubStream.this.stop();
        sink.close(code, reason);
      } else {
        sink.refuse(name, code, reason);
      }
    }
  }
}
