package dev.addressable.samples.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The monitor sample's backend. It owns the dashboard's topic: made once with {@code POST /topics}
 * over plain HTTP, as any backend would, then kept. It hands pages the two halves they need (the
 * publish URL, so the page can show senders where to report, and the subscribe key), and on request
 * plays a bounded stream of made-up events into the topic.
 *
 * <pre>
 * GET  /samples/monitor/api/topic                      → {"topic":"…","url":"{base}/t/…","subscribeKey":"…"}
 * POST /samples/monitor/api/demo?seconds=10&amp;rate=100   → 202 {"events":1000,"seconds":10}
 * </pre>
 *
 * <p>The demo stream runs on one daemon thread, at most {@value #MAX_RATE} events/s for at most
 * {@value #MAX_SECONDS} s; a second request while one plays answers 409.
 */
public final class MonitorBackend {

  static final int MAX_RATE = 500;
  static final int MAX_SECONDS = 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String publicUrl;
  private final AtomicBoolean playing = new AtomicBoolean();
  private volatile Topic topic;

  /**
   * What {@code POST /topics} handed out: the id (what subscribers see), the publish URL's path
   * (the right to publish) and the subscribe key (the right to subscribe).
   */
  private record Topic(String id, String publishPath, String subscribeKey) {}

  /** @param publicUrl the relay's configured public base URL, or empty to use each request's own */
  public MonitorBackend(String publicUrl) {
    this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
  }

  public void configure(JavalinConfig cfg) {
    cfg.routes.get("/samples/monitor/api/topic", this::topic);
    cfg.routes.post("/samples/monitor/api/demo", this::demo);
  }

  private void topic(Context ctx) throws IOException, InterruptedException {
    Topic t = topic(ctx.port());
    String base = publicUrl.isEmpty() ? ctx.scheme() + "://" + ctx.host() : publicUrl;
    ctx.json(java.util.Map.of("topic", t.id(), "url", base + t.publishPath(), "subscribeKey", t.subscribeKey()));
  }

  /** The dashboard's topic, made on first use; the relay keeps recognising its id, so it is kept. */
  private synchronized Topic topic(int port) throws IOException, InterruptedException {
    if (topic == null) {
      HttpRequest create = HttpRequest.newBuilder(loopback(port, "/topics"))
          .POST(HttpRequest.BodyPublishers.noBody()).build();
      HttpResponse<String> answer = http.send(create, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 201) {
        throw new IOException("POST /topics answered " + answer.statusCode() + ": " + answer.body());
      }
      JsonNode body = JSON.readTree(answer.body());
      String publishPath = URI.create(body.get("url").asText()).getPath();
      topic = new Topic(body.get("topic").asText(), publishPath, body.get("subscribeKey").asText());
    }
    return topic;
  }

  private void demo(Context ctx) throws IOException, InterruptedException {
    int seconds = bounded(ctx.queryParam("seconds"), 10, MAX_SECONDS);
    int rate = bounded(ctx.queryParam("rate"), 100, MAX_RATE);
    Topic t = topic(ctx.port());
    if (!playing.compareAndSet(false, true)) {
      ctx.status(409).json(java.util.Map.of("error", "playing", "message", "a demo stream is already playing"));
      return;
    }
    URI publish = loopback(ctx.port(), t.publishPath());
    Thread player = new Thread(() -> play(publish, seconds, rate), "monitor-demo");
    player.setDaemon(true);
    player.start();
    ctx.status(202).json(java.util.Map.of("events", seconds * rate, "seconds", seconds));
  }

  /** Reports {@code seconds * rate} events, evenly spaced, each with one GET as a backend would. */
  private void play(URI publish, int seconds, int rate) {
    DemoEvents events = new DemoEvents();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < seconds * rate; i++) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the stream, not synchronizing
        }
        String query = "?message=" + URLEncoder.encode(events.next(), StandardCharsets.UTF_8);
        http.sendAsync(HttpRequest.newBuilder(URI.create(publish + query)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      playing.set(false);
    }
  }

  private static URI loopback(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static int bounded(String value, int fallback, int max) {
    try {
      return value == null ? fallback : Math.max(1, Math.min(max, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
