package dev.addressable.clusterit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RelayClient.Connection;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A browser tab as the library behaves, long-polling: it polls one relay from its cursor, and when
 * that relay refuses the connection, answers 503 (or 429) or does not answer, it moves on to the
 * next relay with the same cursor, after the answer's {@code Retry-After} (at most a second here,
 * to keep tests short). Every message and {@code missed} marker it gets is recorded, with the
 * status of every poll, for the {@link Ledger}. One thread of its own; {@link #close} stops it.
 */
final class Tab implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One thing the tab got: a message ({@code data}, its {@code seq}) or a missed marker. */
  record Got(long seq, String data, boolean missed) {}

  final String name;
  final Connection connection;
  private final Supplier<List<String>> relays;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Got> got = new ArrayList<>();
  private final List<Integer> statuses = new ArrayList<>();
  private final Thread thread;
  private volatile String cursor;
  private volatile boolean closed;
  private int at;

  /**
   * @param relays the bases of the relays up now ({@code http://127.0.0.1:port}), asked again
   *     before every poll: a test replaces a restarted relay in it
   */
  Tab(String name, Connection connection, Supplier<List<String>> relays) {
    this.name = name;
    this.connection = connection;
    this.relays = relays;
    this.cursor = connection.cursor();
    this.at = Math.floorMod(name.hashCode(), 7);
    this.thread = new Thread(this::run, "tab-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!closed) {
      List<String> bases = relays.get();
      String base = bases.get(Math.floorMod(at, bases.size()));
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/poll?client=" + connection.client()
              + "&channel=" + connection.channel() + "&timeout=3&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
          .header("Authorization", "Bearer " + connection.key()).timeout(Duration.ofSeconds(8)).build();
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        status(answer.statusCode());
        if (answer.statusCode() == 200) {
          read(JSON.readTree(answer.body()));
          continue;
        }
        long retryAfter = answer.headers().firstValueAsLong("Retry-After").orElse(0);
        at++;
        pause(Math.min(1_000, Math.max(100, retryAfter * 1000)));
      } catch (IOException e) {
        status(-1);
        at++;
        pause(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void read(JsonNode answer) {
    synchronized (this) {
      if (answer.path("missed").asBoolean(false)) {
        got.add(new Got(0, null, true));
      }
      for (JsonNode m : answer.get("messages")) {
        got.add(new Got(m.get("seq").asLong(), m.get("data").asText(), false));
      }
    }
    cursor = answer.get("cursor").asText();
  }

  private synchronized void status(int status) {
    statuses.add(status);
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      closed = true;
    }
  }

  /** What the tab got so far, in order. */
  synchronized List<Got> got() {
    return List.copyOf(got);
  }

  /** The status of every poll so far; -1 for no answer (refused, reset, timed out). */
  synchronized List<Integer> statuses() {
    return List.copyOf(statuses);
  }

  /** Whether the tab got a message with this text. */
  synchronized boolean has(String data) {
    return got.stream().anyMatch(g -> data.equals(g.data()));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
