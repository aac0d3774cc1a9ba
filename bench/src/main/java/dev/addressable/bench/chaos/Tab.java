package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One simulated browser tab: its own client, one channel named {@link #label}, the key, the last
 * cursor it received (what it reconnects with), and the relay it talks to now. The receiver moves
 * it to another relay when its relay fails; the cursor goes along. The sender owning it numbers
 * its sends.
 */
final class Tab {

  private static final ObjectMapper JSON = new ObjectMapper();

  final String label;
  final String transport;
  final String client;
  final String key;
  /** Where senders send: {@code /m/{client}/{channel}}. */
  final String path;
  volatile String cursor;
  /** Index of the relay the receiver uses now. */
  volatile int relay;
  /** Sends made to this tab so far; only its sender touches it. */
  long sends;

  private Tab(String label, String transport, JsonNode connected, int relay) {
    this.label = label;
    this.transport = transport;
    this.client = connected.path("client").asText();
    this.key = connected.path("key").asText();
    this.cursor = connected.path("cursor").asText();
    this.path = Cluster.pathOf(connected.path("url").asText());
    this.relay = relay;
  }

  /** {@code POST /connect} for a new client with channel {@code label}, on relay number {@code relay}. */
  static Tab connect(InetSocketAddress server, int relay, String label, String transport) throws IOException {
    RawHttp.Answer a = RawHttp.postForm(server, "/connect", "channel=" + label, 5000);
    if (a.status() != 200) {
      throw new IOException("connect on " + server + " answered " + a.status() + ": " + a.body().trim());
    }
    return new Tab(label, transport, JSON.readTree(a.body()), relay);
  }

  /** The epoch of a cursor: what comes before the first dot of {@code <epoch>.<seq>[~…]}. */
  static String epoch(String cursor) {
    int dot = cursor.indexOf('.');
    return dot < 0 ? cursor : cursor.substring(0, dot);
  }

  /** The query that names this tab's channel to a receiving endpoint, with the key and the cursor. */
  String receiveQuery(boolean keyInQuery) {
    return "client=" + client + "&channel=" + label + (keyInQuery ? "&key=" + key : "") + "&cursor=" + cursor;
  }
}
