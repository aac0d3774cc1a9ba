package dev.addressable.relay.http.endpoint;

import dev.addressable.relay.address.Channel;
import dev.addressable.relay.address.Directory;
import dev.addressable.relay.address.Ids;
import dev.addressable.relay.http.wire.Answer;
import dev.addressable.relay.http.wire.ApiException;
import dev.addressable.relay.http.wire.Call;
import dev.addressable.relay.http.wire.Fields;
import dev.addressable.relay.http.wire.Requests;
import dev.addressable.relay.metrics.Metrics;
import dev.addressable.relay.secret.KeyRing;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /connect} (and {@code GET /connect?callback=} for script tags): gives a tab its
 * address. Without {@code client} it makes a new client; with {@code client} and its key it adds
 * a channel (a tab) to that client, or reopens one after a restart.
 */
public final class ConnectEndpoint {

  private final Directory directory;
  private final KeyRing keys;
  private final Metrics metrics;
  private final String publicUrl;

  public ConnectEndpoint(Directory directory, KeyRing keys, Metrics metrics, String publicUrl) {
    this.directory = directory;
    this.keys = keys;
    this.metrics = metrics;
    this.publicUrl = publicUrl;
  }

  public Answer handle(Call call, Fields fields, String callback) {
    if (call.is("GET") && callback == null) {
      throw new ApiException(405, "method_not_allowed", "connect with POST, or with GET only as JSONP (add callback=fn)");
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
    Channel channel = directory.open(client, name);
    metrics.connected();

    String clientUrl = Requests.baseUrl(call, publicUrl) + "/m/" + client;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("client", client);
    body.put("key", key);
    body.put("channel", name);
    body.put("url", clientUrl + "/" + name);
    body.put("clientUrl", clientUrl);
    body.put("cursor", channel.feed().end().toString());
    return Answer.json(200, body, callback);
  }
}
