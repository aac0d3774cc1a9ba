package dev.addressable.relay.http;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Online status, for whoever holds an address: {@code GET /status/m/{client}[/{channel}]} (also
 * {@code GET /m/{client}/{channel}/status}) answers {@code {"online":…,"lastSeen":…}}. A channel is
 * online while a receiver is parked or streamed there, and for the grace period after its last
 * poll, so a long-poll client between two polls still counts. A client is online if any of its
 * channels is.
 */
final class StatusEndpoint {

  private final Directory directory;
  private final long graceMillis;
  private final LongSupplier clock;

  StatusEndpoint(Directory directory, Duration grace, LongSupplier clock) {
    this.directory = directory;
    this.graceMillis = grace.toMillis();
    this.clock = clock;
  }

  void handle(Context ctx) {
    String client = Requests.client(ctx.pathParam("client"));
    Collection<Channel> channels;
    if (ctx.pathParamMap().containsKey("channel")) {
      Channel one = directory.find(client, Requests.channel(ctx.pathParam("channel")));
      channels = one == null ? List.of() : List.of(one);
    } else {
      channels = directory.channelsOf(client);
    }
    long now = clock.getAsLong();
    boolean online = false;
    Long lastSeen = null;
    for (Channel channel : channels) {
      boolean here = channel.isOnline(now, graceMillis);
      online |= here;
      long seen = here && channel.feed().isWaiting() ? now : channel.lastSeen();
      lastSeen = lastSeen == null ? seen : Math.max(lastSeen, seen);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("online", online);
    body.put("lastSeen", lastSeen);
    Responder.json(ctx, 200, body);
  }
}
