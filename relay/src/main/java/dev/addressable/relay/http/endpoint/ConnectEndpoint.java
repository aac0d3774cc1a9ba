package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Exchange;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /connect} (and {@code GET /connect?callback=} for script tags): gives a tab its
 * address. Without {@code client} it makes a new client; with {@code client} and its key it adds
 * a channel (a tab) to that client, or reopens one after a restart.
 */
public final class ConnectEndpoint {

  private final Store store;
  private final KeyRing keys;
  private final Metrics metrics;
  private final Later later;
  private final String publicUrl;

  public ConnectEndpoint(Store store, KeyRing keys, Metrics metrics, Later later, String publicUrl) {
    this.store = store;
    this.keys = keys;
    this.metrics = metrics;
    this.later = later;
    this.publicUrl = publicUrl;
  }

  /** The answer now, or {@code null} when it comes later through {@code exchange}. */
  public Answer handle(Call call, Fields fields, String callback, Exchange exchange) {
    if (call.is("GET") && callback == null) {
      throw ApiException.methodNotAllowed("POST", "connect with POST, or with GET only as JSONP (add callback=fn)");
    }
    String client = fields.get("client");
    String key = Requests.key(call, fields);
    if (client == null || client.isEmpty()) {
      if (key != null && !key.isEmpty()) {
        throw ApiException.badRequest("bad_client", "a key was given without its client");
      }
      client = Ids.newClientId();
      key = keys.keyFor(client);
    } else {
      Requests.client(client);
      Requests.authorize(keys, client, key);
    }
    String requested = fields.get("channel");
    String name = requested == null || requested.isEmpty() ? Ids.newChannelName() : Requests.channel(requested);
    String clientUrl = Requests.baseUrl(call, publicUrl) + "/m/" + client;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("client", client);
    body.put("key", key);
    body.put("channel", name);
    body.put("url", clientUrl + "/" + name);
    body.put("clientUrl", clientUrl);
    return later.answer(store.open(new ChannelId(client, name)), exchange, callback, end -> {
      metrics.connected();
      body.put("cursor", end.toString());
      return Answer.json(200, body, callback);
    });
  }
}
