package dev.addressable.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few relay calls the load tools need, over java.net.http. */
final class Relay {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;

  Relay(String base) {
    URI uri = URI.create(base.replaceAll("/+$", ""));
    String host = uri.getHost();
    if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
      throw new IllegalArgumentException("load tools only target loopback (127.0.0.0/8, ::1): " + base);
    }
    this.base = uri;
  }

  /** What /connect answered. */
  record Tab(String client, String key, String channel, String url, String clientUrl, String cursor) {}

  CompletableFuture<Tab> connect(String body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/connect"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("connect answered " + r.statusCode() + ": " + r.body());
      }
      JsonNode j = read(r.body());
      return new Tab(j.get("client").asText(), j.get("key").asText(), j.get("channel").asText(),
          j.get("url").asText(), j.get("clientUrl").asText(), j.get("cursor").asText());
    });
  }

  CompletableFuture<Tab> addChannel(Tab client, String channel) {
    return connect("{\"client\":\"" + client.client() + "\",\"key\":\"" + client.key() + "\",\"channel\":\"" + channel + "\"}");
  }

  String post(String path, String body) {
    return postAsync(path, body).join();
  }

  CompletableFuture<String> postAsync(String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    });
  }

  CompletableFuture<String> getAsync(String url) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpResponse::body);
  }

  String get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A gauge or counter from /metrics. */
  long metric(String name) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(get("/metrics"));
    if (!m.find()) {
      throw new IllegalStateException(name + " is not in /metrics");
    }
    return Long.parseLong(m.group(1));
  }

  static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  /** The request line and headers of a long-poll for {@code tab}. */
  static String pollRequest(Tab tab, String cursor, int timeoutSeconds, String host) {
    return "GET /poll?client=" + tab.client() + "&channel=" + tab.channel() + "&cursor=" + cursor
        + "&timeout=" + timeoutSeconds + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + tab.key() + "\r\n\r\n";
  }
}
