package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When Redis cannot be used for a while, a relay does not leave its receivers waiting on hints
 * that cannot come: a parked long-poll is answered 503 {@code store_unavailable} with a
 * {@code Retry-After}, an SSE stream ends with that error event, a WebSocket closes with 1013
 * (try again later). Their clients then retry, through another relay if one can reach Redis.
 */
@Timeout(90)
class ReleaseWhenDownTest {

  /** Far longer than the relay waits before it releases anyone: a poll answered before it was released. */
  private static final int POLL_SECONDS = 60;

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  @Test
  void waitingReceiversAreAnsweredWithStoreUnavailableWhileRedisIsGone() throws Exception {
    var cluster = Options.parse(new String[] {"--redis", redis.uri(), "--node-id", "release"}, Map.of()).cluster().orElseThrow();
    try (TestRelay relay = TestRelay.start(c -> c.withCluster(cluster))) {
      RelayClient http = relay.client();
      Connection polling = http.connect();
      Connection streaming = http.connect(polling, "sse");
      Connection socket = http.connect(polling, "ws");

      CompletableFuture<RelayClient.Answer> poll = http.pollAsync(polling, polling.cursor(), POLL_SECONDS);
      BlockingQueue<String> sseLines = new LinkedBlockingQueue<>();
      HttpClient client = HttpClient.newHttpClient();
      client.sendAsync(HttpRequest.newBuilder(URI.create(relay.base() + "/events?client=" + streaming.client()
              + "&channel=" + streaming.channel() + "&key=" + streaming.key())).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(sseLines::add));
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      client.newWebSocketBuilder().buildAsync(URI.create(relay.base().replace("http://", "ws://") + "/ws?client="
          + socket.client() + "&channel=" + socket.channel() + "&key=" + socket.key()), new WebSocket.Listener() {
            @Override public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              closed.complete(statusCode);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      Await.until("a long-poll, an SSE stream and a WebSocket wait at the relay", Duration.ofSeconds(10),
          () -> relay.hasReceiver(polling.client(), polling.channel())
              && relay.hasReceiver(streaming.client(), streaming.channel())
              && relay.hasReceiver(socket.client(), socket.channel()));

      redis.server().stop();

      RelayClient.Answer answer = poll.get(POLL_SECONDS / 2, TimeUnit.SECONDS);
      assertEquals(503, answer.status(), answer.body());
      assertEquals("store_unavailable", answer.json().path("error").asText(), answer.body());
      assertNotNull(answer.header("Retry-After"), "a retry hint");
      assertEquals(1013, closed.get(POLL_SECONDS / 2, TimeUnit.SECONDS), "WebSocket: try again later");
      String line;
      boolean errorEvent = false;
      while (!errorEvent && (line = sseLines.poll(POLL_SECONDS / 2, TimeUnit.SECONDS)) != null) {
        errorEvent = line.startsWith("data:") && line.contains("\"store_unavailable\"");
      }
      assertTrue(errorEvent, "the SSE stream ends with a store_unavailable error event");
      Await.until("nobody waits at the relay any more", Duration.ofSeconds(10),
          () -> !relay.hasReceiver(polling.client(), polling.channel())
              && !relay.hasReceiver(streaming.client(), streaming.channel())
              && !relay.hasReceiver(socket.client(), socket.channel()));
    }
  }
}
