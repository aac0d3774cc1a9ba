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
import java.time.Duration;

/** Long-polls in a loop, as plain JSON or as JSONP (parsing the script the relay answers). */
final class PollReceiver extends Receiver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final Connection c;
  private final boolean jsonp;
  private volatile boolean closed;
  private volatile boolean inFlight;

  PollReceiver(String base, Connection c, String cursor, boolean jsonp) {
    super(cursor);
    this.base = base;
    this.c = c;
    this.jsonp = jsonp;
    poll(cursor);
  }

  private void poll(String cursor) {
    if (closed) {
      return;
    }
    String url = base + "/poll?client=" + c.client() + "&channel=" + c.channel() + "&timeout=20"
        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))
        + (jsonp ? "&key=" + c.key() + "&callback=Recv.got" : "");
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (!jsonp) {
      request.header("Authorization", "Bearer " + c.key());
    }
    inFlight = true;
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      inFlight = false;
      if (closed) {
        return;
      }
      if (error != null) {
        failed(error);
        return;
      }
      try {
        JsonNode answer = JSON.readTree(jsonp ? unwrap(response.body()) : response.body());
        if (response.statusCode() != 200 || answer.has("error")) {
          failed(new AssertionError("poll answered " + response.body()));
          return;
        }
        String next = answer.get("cursor").asText();
        if (answer.path("missed").asBoolean(false)) {
          arrived(new Event(0, null, cursorBefore(answer, next), true));
        }
        for (JsonNode m : answer.get("messages")) {
          String epoch = next.substring(0, next.indexOf('.'));
          arrived(Event.message(m, epoch + "." + m.get("seq").asLong()));
        }
        poll(next);
      } catch (Exception e) {
        failed(e);
      }
    });
  }

  private static String cursorBefore(JsonNode answer, String next) {
    JsonNode messages = answer.get("messages");
    String epoch = next.substring(0, next.indexOf('.'));
    return messages.isEmpty() ? next : epoch + "." + (messages.get(0).get("seq").asLong() - 1);
  }

  private static String unwrap(String script) {
    String prefix = "/**/Recv.got(";
    if (!script.startsWith(prefix) || !script.endsWith(");")) {
      throw new AssertionError("not a JSONP answer: " + script);
    }
    return script.substring(prefix.length(), script.length() - 2);
  }

  @Override
  public boolean isReady() {
    return inFlight;
  }

  @Override
  public void close() {
    closed = true;
  }
}
