package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * JSONP: {@code GET /poll} with the key and {@code callback=} in the query, as a script tag makes
 * it. The answer is {@code /**}{@code /cb({…,"status":N});}, 200 even for an error, whose real
 * status and {@code retryAfter} are inside; a few refusals come back as plain JSON.
 */
final class JsonpReceiver extends Receiver {

  private static final String CALLBACK = "chaos.cb";

  JsonpReceiver(Tab tab, Ledger ledger, java.util.List<InetSocketAddress> relays, int pollTimeout, long seed) {
    super(tab, ledger, relays, pollTimeout, seed);
  }

  @Override
  void receive(InetSocketAddress relay) throws IOException {
    RawHttp.Answer a = RawHttp.get(relay, "/poll?" + tab.receiveQuery(true) + "&timeout=" + pollTimeout
        + "&callback=" + CALLBACK, Map.of(), (pollTimeout + 5) * 1000);
    if (a.status() != 200) {
      throw refused(Integer.toString(a.status()), a.retryAfter(), a.body());
    }
    JsonNode answer = JSON.readTree(unwrap(a.body()));
    int status = answer.path("status").asInt(200);
    if (status != 200) {
      throw refused(Integer.toString(status), answer.path("retryAfter").asInt(-1), answer.toString());
    }
    batch(answer);
  }

  /** The object passed to the callback in {@code /**}{@code /cb({…});}. */
  static String unwrap(String script) throws IOException {
    int open = script.indexOf(CALLBACK + "(");
    int close = script.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IOException("not a JSONP answer: " + script);
    }
    return script.substring(open + CALLBACK.length() + 1, close);
  }
}
