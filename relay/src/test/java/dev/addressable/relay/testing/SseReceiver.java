package dev.addressable.relay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RelayClient.Connection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Reads Server-Sent Events line by line and checks each event's framing as it goes. */
public final class SseReceiver extends Receiver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private final List<String> heartbeats = new ArrayList<>();
  private volatile boolean open;
  private final String base;
  private final Connection connection;
  private final HttpClient http = HttpClient.newHttpClient();

  SseReceiver(String base, Connection c, String cursor) {
    this(base, c, cursor, null);
  }

  /** With {@code lastEventId}, as a browser's automatic reconnect sends it. */
  public SseReceiver(String base, Connection c, String cursor, String lastEventId) {
    super(cursor);
    this.base = base;
    this.connection = c;
    String url = base + "/events?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
    response.whenComplete((r, error) -> {
      if (error != null) {
        failed(error);
        return;
      }
      if (r.statusCode() != 200 || !r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
        failed(new AssertionError("SSE answered " + r.statusCode() + " " + r.headers().map()));
        return;
      }
      open = true;
      Thread reader = new Thread(() -> read(r.body()), "test-sse-reader");
      reader.setDaemon(true);
      reader.start();
    });
  }

  private void read(Stream<String> lines) {
    String event = null;
    String id = null;
    StringBuilder data = new StringBuilder();
    try {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            dispatch(event, id, data.toString());
          }
          event = null;
          id = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          continue;
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          if (data.length() > 0) {
            throw new AssertionError("two data lines in one event: the relay must write one line of JSON");
          }
          data.append(line.substring(6));
        } else if (!line.startsWith("retry: ")) {
          throw new AssertionError("unexpected SSE line: " + line);
        }
      }
    } catch (RuntimeException | Error e) {
      if (open) {
        failed(e);
      }
    }
  }

  private void dispatch(String event, String id, String data) throws RuntimeException {
    try {
      if ("heartbeat".equals(event)) {
        synchronized (heartbeats) {
          heartbeats.add(data);
        }
        return;
      }
      JsonNode json = JSON.readTree(data);
      if ("missed".equals(event)) {
        if (!json.get("cursor").asText().equals(id)) {
          throw new AssertionError("missed event's id and cursor differ: " + id + " " + data);
        }
        arrived(new Event(0, null, id, true));
      } else if (event == null) {
        arrived(Event.message(json, id));
        acknowledge(id);
      } else {
        throw new AssertionError("unexpected event " + event + ": " + data);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("data is not JSON: " + data, e);
    }
  }

  /** Confirms like the browser library does for SSE: POST /ack with the cursor. */
  private void acknowledge(String cursor) {
    String body = "{\"client\":\"" + connection.client() + "\",\"channel\":\"" + connection.channel()
        + "\",\"cursor\":\"" + cursor + "\"}";
    http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/ack")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + connection.key()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** Heartbeat events seen so far. */
  public int heartbeats() {
    synchronized (heartbeats) {
      return heartbeats.size();
    }
  }

  @Override
  public boolean isReady() {
    return open;
  }

  @Override
  public void close() {
    open = false;
    response.thenAccept(r -> r.body().close());
  }
}
