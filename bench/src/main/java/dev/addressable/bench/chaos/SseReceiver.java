package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Server-Sent Events: {@code GET /events} with the key and the cursor in the query, read line by
 * line as EventSource would. A message event's {@code id:} is the cursor after it; a
 * {@code missed} event carries the new cursor; an {@code error} event precedes the end of the
 * stream. A stream that ends, or is silent past three heartbeats, is reopened on another relay
 * from the last cursor.
 */
final class SseReceiver extends Receiver {

  SseReceiver(Tab tab, Ledger ledger, List<InetSocketAddress> relays, int pollTimeout, long seed) {
    super(tab, ledger, relays, pollTimeout, seed);
  }

  @Override
  void receive(InetSocketAddress relay) throws IOException {
    try (RawHttp.Stream stream = RawHttp.open(relay, "/events?" + tab.receiveQuery(true), Map.of(), SILENCE_MS)) {
      holding(stream);
      if (stream.status != 200) {
        int retryAfter = -1;
        try {
          retryAfter = Integer.parseInt(stream.headers.getOrDefault("retry-after", "-1").trim());
        } catch (NumberFormatException ignored) {
          // none
        }
        throw refused(Integer.toString(stream.status), retryAfter, stream.rest());
      }
      String event = "";
      String id = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = stream.lines.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            dispatch(event, id, data.toString());
          }
          event = "";
          id = null;
          data.setLength(0);
        } else if (line.startsWith("data:")) {
          data.append(data.length() > 0 ? "\n" : "").append(field(line, 5));
        } else if (line.startsWith("event:")) {
          event = field(line, 6);
        } else if (line.startsWith("id:")) {
          id = field(line, 3);
        } // comments (":") and retry: need nothing
      }
      throw new Move("the SSE stream ended", 0);
    }
  }

  private void dispatch(String event, String id, String data) throws IOException {
    switch (event) {
      case "", "message" -> {
        JsonNode m = JSON.readTree(data);
        String cursor = id != null ? id : tab.cursor;
        ledger.delivered(tab.label, Tab.epoch(cursor), m.path("seq").asLong(), m.path("data").asText());
        tab.cursor = cursor;
      }
      case "missed" -> {
        ledger.missed(tab.label);
        String cursor = JSON.readTree(data).path("cursor").asText(null);
        if (cursor != null) {
          tab.cursor = cursor;
        }
      }
      case "error" -> ledger.receiveRefused(JSON.readTree(data).path("error").asText("error"));
      default -> {
        // heartbeat, unsubscribed: nothing to count
      }
    }
  }

  private static String field(String line, int from) {
    return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
  }
}
