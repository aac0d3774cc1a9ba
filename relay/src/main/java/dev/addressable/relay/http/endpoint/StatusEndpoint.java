package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Requests;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Online status, for whoever holds an address: {@code GET /status/m/{client}[/{channel}]} (also
 * {@code GET {address}/status}) answers {@code {"online":…,"lastSeen":…}}. A channel is online
 * while a receiver is parked or streamed there, and for the grace period after its last poll, so
 * a long-poll client between two polls still counts. A client is online if any of its channels is.
 */
public final class StatusEndpoint {

  private final Directory directory;
  private final long graceMillis;
  private final LongSupplier clock;

  public StatusEndpoint(Directory directory, Duration grace, LongSupplier clock) {
    this.directory = directory;
    this.graceMillis = grace.toMillis();
    this.clock = clock;
  }

  /** @param channel the channel, or {@code null} for the whole client */
  public Answer handle(String clientId, String channel, String callback) {
    String client = Requests.client(clientId);
    Collection<Channel> channels;
    if (channel != null) {
      Channel one = directory.find(client, Requests.channel(channel));
      channels = one == null ? List.of() : List.of(one);
    } else {
      channels = directory.channelsOf(client);
    }
    long now = clock.getAsLong();
    boolean online = false;
    Long lastSeen = null;
    for (Channel each : channels) {
      boolean here = each.isOnline(now, graceMillis);
      online |= here;
      long seen = here && each.feed().isWaiting() ? now : each.lastSeen();
      lastSeen = lastSeen == null ? seen : Math.max(lastSeen, seen);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("online", online);
    body.put("lastSeen", lastSeen);
    return Answer.json(200, body, callback);
  }
}
