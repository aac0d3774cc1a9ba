package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Presence;
import dev.addressable.relay.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Online status, for whoever holds an address: {@code GET /status/m/{client}[/{channel}]} (also
 * {@code GET {address}/status}) answers {@code {"online":…,"lastSeen":…}}. A channel is online
 * while a receiver is parked or streamed there, and for the grace period after its last poll, so
 * a long-poll client between two polls still counts. A client is online if any of its channels is.
 */
public final class StatusEndpoint {

  private final Store store;
  private final Later later;

  public StatusEndpoint(Store store, Later later) {
    this.store = store;
    this.later = later;
  }

  /**
   * @param channel the channel, or {@code null} for the whole client
   * @return the answer now, or {@code null} when it comes later through {@code exchange}
   */
  public Answer handle(String clientId, String channel, String callback, Exchange exchange) {
    ClientId client = new ClientId(Requests.client(clientId));
    CompletionStage<Presence> presence = channel != null
        ? store.status(client.channel(Requests.channel(channel)))
        : store.status(client);
    return later.answer(presence, exchange, callback, now -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("online", now.online());
      body.put("lastSeen", now.lastSeen());
      return Answer.json(200, body, callback);
    });
  }
}
