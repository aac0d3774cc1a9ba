package dev.addressable.relay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client speaking the relay protocol, for tests. */
public final class RelayClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  /** A client of the relay at {@code base}, e.g. {@code http://127.0.0.1:41234}. */
  public RelayClient(String base) {
    this.base = base;
  }

  /** What {@code /connect} handed out. */
  public record Connection(String client, String key, String channel, String url, String clientUrl, String cursor) {}

  /** An answer: status, headers and body. */
  public record Answer(int status, HttpResponse<String> response) {
    public String body() {
      return response.body();
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + response.body(), e);
      }
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  public Connection connect() {
    return connect("{}");
  }

  public Connection connect(String jsonBody) {
    return join(connectAsync(jsonBody));
  }

  public CompletableFuture<Connection> connectAsync(String jsonBody) {
    HttpRequest request = HttpRequest.newBuilder(uri("/connect")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build();
    return send(request).thenApply(RelayClient::connection);
  }

  private static Connection connection(Answer answer) {
    if (answer.status() != 200) {
      throw new AssertionError("connect failed: " + answer.status() + " " + answer.body());
    }
    JsonNode j = answer.json();
    return new Connection(j.get("client").asText(), j.get("key").asText(), j.get("channel").asText(),
        j.get("url").asText(), j.get("clientUrl").asText(), j.get("cursor").asText());
  }

  /** Adds a channel to an existing client. */
  public Connection connect(Connection client, String channel) {
    return join(connectAsync(client, channel));
  }

  public CompletableFuture<Connection> connectAsync(Connection client, String channel) {
    return connectAsync("{\"client\":\"" + client.client() + "\",\"key\":\"" + client.key() + "\",\"channel\":\"" + channel + "\"}");
  }

  public Answer poll(Connection c, String cursor, int timeoutSeconds) {
    return join(pollAsync(c, cursor, timeoutSeconds));
  }

  public CompletableFuture<Answer> pollAsync(Connection c, String cursor, int timeoutSeconds) {
    String query = "client=" + c.client() + "&channel=" + c.channel() + "&timeout=" + timeoutSeconds
        + (cursor == null ? "" : "&cursor=" + enc(cursor));
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/poll?" + query))
        .header("Authorization", "Bearer " + c.key())
        .timeout(Duration.ofSeconds(timeoutSeconds + 10)).build();
    return send(request);
  }

  /** {@code GET address?message=...}. */
  public Answer sendGet(String address, String message) {
    return get(address + "?message=" + enc(message));
  }

  public Answer get(String pathOrUrl) {
    return join(getAsync(pathOrUrl));
  }

  /** {@code GET pathOrUrl} without waiting for the answer (it times out after 30 s). */
  public CompletableFuture<Answer> getAsync(String pathOrUrl) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(30)).build());
  }

  public Answer request(String method, String pathOrUrl, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return join(send(b.build()));
  }

  public Answer post(String pathOrUrl, String contentType, String body) {
    return request("POST", pathOrUrl, contentType, body);
  }

  public CompletableFuture<Answer> send(HttpRequest request) {
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Answer(r.statusCode(), r));
  }

  private URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
  }

  public static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw e;
    }
  }
}
