package dev.addressable.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * WebSocket ({@code java.net.http}): {@code GET /ws} with the key and the cursor in the query.
 * Each message frame carries its cursor; {@code {"missed":true,"cursor"}} and error frames as the
 * protocol says; a refused socket closes with 4000 + status (4503). Frames are handled one at a
 * time, in order, on the client's thread; this receiver's thread waits for the end, and gives up
 * on a socket silent past three heartbeats.
 */
final class WebSocketReceiver extends Receiver {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  WebSocketReceiver(Tab tab, Ledger ledger, List<InetSocketAddress> relays, int pollTimeout, long seed) {
    super(tab, ledger, relays, pollTimeout, seed);
  }

  @Override
  void receive(InetSocketAddress relay) throws IOException, InterruptedException {
    Frames frames = new Frames();
    WebSocket ws;
    try {
      ws = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
          .buildAsync(URI.create("ws://127.0.0.1:" + relay.getPort() + "/ws?" + tab.receiveQuery(true)), frames)
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        throw refused(Integer.toString(h.getResponse().statusCode()), -1, String.valueOf(h.getResponse().body()));
      }
      throw new Move("websocket: " + e.getCause(), 0);
    } catch (TimeoutException e) {
      throw new Move("websocket: no handshake within 5 s", 0);
    }
    holding(ws::abort);
    while (running()) {
      try {
        frames.ended.get(1, TimeUnit.SECONDS);
        throw new Move("websocket closed: " + frames.closedWith, 0);
      } catch (ExecutionException e) {
        throw new Move("websocket failed: " + e.getCause(), 0);
      } catch (TimeoutException e) {
        if (System.nanoTime() - frames.lastFrame > SILENCE_MS * 1_000_000L) {
          ws.abort();
          throw new Move("websocket silent for " + SILENCE_MS / 1000 + " s", 0);
        }
      }
    }
    ws.abort();
  }

  /** Reassembles text frames and hands each whole one to the ledger. */
  private final class Frames implements WebSocket.Listener {
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final StringBuilder part = new StringBuilder();
    volatile long lastFrame = System.nanoTime();
    volatile String closedWith = "";

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      lastFrame = System.nanoTime();
      part.append(data);
      if (last) {
        String text = part.toString();
        part.setLength(0);
        try {
          frame(JSON.readTree(text));
        } catch (IOException | RuntimeException e) {
          ended.completeExceptionally(new IOException("bad frame: " + text, e));
          return null;
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closedWith = code + " " + reason;
      if (code >= 4000) {
        ledger.receiveRefused(Integer.toString(code));
      }
      ended.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ended.completeExceptionally(error);
    }

    private void frame(JsonNode f) {
      if (f.has("seq") && f.has("cursor")) {
        if (!f.has("topic")) {
          ledger.delivered(tab.label, Tab.epoch(f.path("cursor").asText()), f.path("seq").asLong(), f.path("data").asText());
        }
        tab.cursor = f.path("cursor").asText();
      } else if (f.path("missed").asBoolean(false)) {
        ledger.missed(tab.label);
        if (f.has("cursor")) {
          tab.cursor = f.path("cursor").asText();
        }
      } else if (f.has("error")) {
        ledger.receiveRefused(f.path("error").asText()); // by code: a refusal's 503 is counted from its close, 4503
      } // heartbeat, unsubscribed, replies: nothing to count
    }
  }
}
