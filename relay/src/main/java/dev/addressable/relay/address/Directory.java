package dev.addressable.relay.address;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.feed.Feed;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.memory.MemoryFullException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The live clients and their channels, as the memory store keeps them: where an address leads. A
 * restart empties it, and a client that comes back with its id and key opens its channels anew
 * (new epochs).
 *
 * <p>Thread-safe. Every change to one client's channels runs inside {@code compute} on that client,
 * so an idle sweep and a receiver arriving at the same moment cannot lose each other's work.
 */
public final class Directory {

  private final ConcurrentHashMap<String, Map<String, Channel>> clients = new ConcurrentHashMap<>();
  private final AtomicInteger channelCount = new AtomicInteger();
  private final InboxConfig config;
  private final LongSupplier clock;
  private final RelayEvents events;
  private final long graceMillis;
  private final MemoryBudget budget;

  public Directory(InboxConfig config, LongSupplier clock, RelayEvents events) {
    this(config, clock, events, Duration.ofSeconds(15), MemoryBudget.unlimited());
  }

  /**
   * @param events told when channels come online, go offline, and what their inboxes drop
   * @param grace how long after its last poll a channel still counts as online
   * @param budget charged for each live channel, and for what its feed keeps
   */
  public Directory(InboxConfig config, LongSupplier clock, RelayEvents events, Duration grace, MemoryBudget budget) {
    this.budget = budget;
    this.config = config;
    this.clock = clock;
    this.events = events;
    this.graceMillis = grace.toMillis();
  }

  /**
   * Finds the channel or makes it live with an empty inbox, and marks it seen now, for a receiver
   * that connects (which ends a leave). The caller has checked the client's key.
   *
   * @throws TooManyChannelsException past the per-client or relay-wide channel limit
   * @throws MemoryFullException if the memory budget has no room for a new channel
   */
  public Channel open(String client, String name) {
    return open(client, name, true);
  }

  /**
   * As {@link #open(String, String)}, for a receiver that connects or (not {@code connect}) asks
   * anything else with its key: a poll, a stream, an ack, a subscription. Only a connect ends a
   * leave said less than {@link Channel#LEAVE_SETTLE_MILLIS} ago.
   */
  public Channel open(String client, String name, boolean connect) {
    long now = clock.getAsLong();
    Channel live = find(client, name);
    if (live != null) {
      // The common case (every poll) takes no lock: mark it seen, then check that a sweep did not
      // drop it just before; a sweep after the mark sees it fresh and keeps it.
      live.touch(now, connect);
      if (find(client, name) == live) {
        if (live.report(true)) {
          events.online(client, name, now);
        }
        return live;
      }
    }
    Channel[] opened = new Channel[1];
    clients.compute(client, (id, channels) -> {
      Map<String, Channel> map = channels != null ? channels : new ConcurrentHashMap<>();
      Channel channel = map.get(name);
      if (channel == null) {
        if (map.size() >= config.maxChannelsPerClient()) {
          throw new TooManyChannelsException("this client has " + map.size()
              + " live channels, the most allowed; close tabs or wait for idle ones to expire", false);
        }
        if (channelCount.incrementAndGet() > config.maxChannels()) {
          channelCount.decrementAndGet();
          throw new TooManyChannelsException("the relay holds " + config.maxChannels() + " channels already", true);
        }
        if (!budget.tryReserve(MemoryBudget.CHANNEL)) {
          channelCount.decrementAndGet();
          throw new MemoryFullException("a new channel", budget.limit());
        }
        channel = new Channel(id, name, new Feed(new Inbox(config, clock, RelayEvents.ofLog(events, id, name, null, clock)), budget), now);
        map.put(name, channel);
      }
      channel.touch(now, connect);
      opened[0] = channel;
      return map;
    });
    if (opened[0].report(true)) {
      events.online(client, name, now);
    }
    return opened[0];
  }

  /**
   * The channel's receiver said it is leaving ({@link Channel#leave}): reported offline now if no
   * receiver holds it, else when the last one leaves ({@link #release}). Never makes it live.
   *
   * @return whether the channel is live
   */
  public boolean leave(String client, String name) {
    Channel channel = find(client, name);
    if (channel == null) {
      return false;
    }
    long now = clock.getAsLong();
    if (channel.leave(now)) {
      events.offline(client, name, now);
    }
    return true;
  }

  /** A receiver that held the channel left: seen now; offline now if it was the last of a leaving one. */
  public void release(Channel channel) {
    long now = clock.getAsLong();
    if (channel.release(now)) {
      events.offline(channel.client(), channel.name(), now);
    }
  }

  /** The live channel, or {@code null}. Does not mark it seen. */
  public Channel find(String client, String name) {
    Map<String, Channel> channels = clients.get(client);
    return channels == null ? null : channels.get(name);
  }

  /** Every live channel of {@code client}; empty if none. */
  public Collection<Channel> channelsOf(String client) {
    Map<String, Channel> channels = clients.get(client);
    return channels == null ? List.of() : channels.values();
  }

  public int channelCount() {
    return channelCount.get();
  }

  /**
   * Drops channels idle past the expiry (no receiver holding it, not seen for that long), with their inboxes (unread messages are reported as expired), and expires old messages
   * in the rest.
   *
   * @return how many channels were dropped
   */
  public int sweep() {
    long now = clock.getAsLong();
    long idleMillis = config.idleExpiry().toMillis();
    int[] dropped = new int[1];
    for (String client : clients.keySet()) {
      clients.computeIfPresent(client, (id, channels) -> {
        channels.values().removeIf(channel -> {
          if (channel.isIdle(now, idleMillis)) {
            channel.feed().unsubscribeAll();
            channel.inbox().close();
            budget.release(MemoryBudget.CHANNEL);
            if (channel.report(false)) {
              events.offline(id, channel.name(), now);
            }
            dropped[0]++;
            return true;
          }
          if (!channel.isOnline(now, graceMillis) && channel.report(false)) {
            events.offline(id, channel.name(), now);
          }
          channel.inbox().expire();
          return false;
        });
        return channels.isEmpty() ? null : channels;
      });
    }
    channelCount.addAndGet(-dropped[0]);
    return dropped[0];
  }
}
