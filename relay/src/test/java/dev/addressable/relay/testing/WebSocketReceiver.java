package dev.addressable.relay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RelayClient.Connection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket receiver; frames other than messages and missed markers go to {@link #others}. */
public final class WebSocketReceiver extends Receiver {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BlockingQueue<JsonNode> others = new LinkedBlockingQueue<>();
  private final CompletableFuture<WebSocket> socket;
  private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  WebSocketReceiver(String base, Connection c, String cursor) {
    this(base, "client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), cursor);
  }

  /** With a raw query, for tests of refused connections. */
  public WebSocketReceiver(String base, String query, String cursor) {
    super(cursor);
    socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(base.replace("http://", "ws://") + "/ws?" + query), new Listener());
    socket.exceptionally(e -> {
      failed(e);
      return null;
    });
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
      partial.append(text);
      if (last) {
        frame(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closedWith.complete(status);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closedWith.complete(-1);
    }
  }

  private void frame(String text) {
    try {
      JsonNode json = JSON.readTree(text);
      if (json.has("seq") && json.has("data") && !json.has("reply")) {
        arrived(Event.message(json, json.get("cursor").asText()));
        sendLater("{\"ack\":\"" + json.get("cursor").asText() + "\"}"); // never block the listener
      } else if (json.path("missed").asBoolean(false)) {
        arrived(new Event(0, null, json.get("cursor").asText(), true));
      } else {
        others.add(json);
      }
    } catch (java.io.IOException | RuntimeException e) {
      failed(new AssertionError("bad frame: " + text, e));
    }
  }

  /** The next reply or error frame, skipping heartbeats. */
  public JsonNode nextOther() throws InterruptedException {
    return nextFrame(false, "no reply or error frame within 5 s");
  }

  /** The next heartbeat frame, skipping replies and errors. */
  public JsonNode nextHeartbeat() throws InterruptedException {
    return nextFrame(true, "no heartbeat within 5 s");
  }

  /** Takes frames that are not messages until one is (or is not) a heartbeat, for at most 5 s in all. */
  private JsonNode nextFrame(boolean heartbeat, String none) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      JsonNode frame = others.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError(none);
      }
      if (frame.has("heartbeat") == heartbeat) {
        return frame;
      }
    }
  }

  /**
   * Sends a text frame after any frame still being sent (java.net.http allows one send at a time;
   * acks go out from the listener while a test may send too).
   */
  public void send(String text) {
    sendLater(text).join();
  }

  private synchronized CompletableFuture<?> sendLater(String text) {
    sending = sending.exceptionally(e -> null)
        .thenCompose(ignored -> socket.thenCompose(ws -> ws.sendText(text, true)));
    return sending;
  }

  /** The close code the relay sent, waiting at most 5 s. */
  public int closeCode() throws Exception {
    return closedWith.get(5, TimeUnit.SECONDS);
  }

  @Override
  public boolean isReady() {
    return socket.isDone() && !socket.isCompletedExceptionally();
  }

  @Override
  public void close() {
    socket.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
  }
}
