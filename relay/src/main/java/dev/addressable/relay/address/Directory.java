package dev.addressable.relay.address;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.InboxEvents;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The live clients and their channels: where an address leads. In memory; a restart empties it,
 * and a client that comes back with its id and key opens its channels anew (new epochs).
 *
 * <p>Thread-safe. Every change to one client's channels runs inside {@code compute} on that client,
 * so an idle sweep and a receiver arriving at the same moment cannot lose each other's work.
 */
public final class Directory {

  private final ConcurrentHashMap<String, Map<String, Channel>> clients = new ConcurrentHashMap<>();
  private final AtomicInteger channelCount = new AtomicInteger();
  private final InboxConfig config;
  private final LongSupplier clock;
  private final InboxEvents events;

  public Directory(InboxConfig config, LongSupplier clock, InboxEvents events) {
    this.config = config;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Finds the channel or makes it live with an empty inbox, and marks it seen now. The caller has
   * checked the client's key.
   *
   * @throws TooManyChannelsException past the per-client or relay-wide channel limit
   */
  public Channel open(String client, String name) {
    long now = clock.getAsLong();
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
        channel = new Channel(id, name, new Inbox(config, clock, events), now);
        map.put(name, channel);
      }
      channel.touch(now);
      opened[0] = channel;
      return map;
    });
    return opened[0];
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
   * Drops channels idle past the expiry (no parked poll, no open connection, not seen for that
   * long), with their inboxes, and expires old messages in the rest.
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
            dropped[0]++;
            return true;
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
