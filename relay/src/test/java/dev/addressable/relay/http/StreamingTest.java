package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.Receiver.Event;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.testing.SseReceiver;
import dev.addressable.relay.testing.WebSocketReceiver;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only the streaming transports (SSE, WebSocket) do: framing, heartbeats, frames in. */
@Timeout(60)
class StreamingTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> c.withPoll(c.poll().withHeartbeat(Duration.ofSeconds(1))));

  @Test
  void sseResumesFromLastEventIdRatherThanTheCursorInTheUrl() throws Exception {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "one");
    relay.http().sendGet(c.url(), "two");
    String afterOne = c.cursor().split("\\.")[0] + ".1";
    try (SseReceiver sse = new SseReceiver(relay.base(), c, c.cursor(), afterOne)) {
      sse.awaitReady();
      Event e = sse.nextMessage();
      assertEquals("two", e.data());
      assertEquals(c.cursor().split("\\.")[0] + ".2", e.cursor(), "id: is the cursor after the message");
      sse.assertQuiet(100);
    }
  }

  @Test
  void sseSendsHeartbeatEventsWhenIdle() throws Exception {
    Connection c = relay.http().connect();
    try (SseReceiver sse = new SseReceiver(relay.base(), c, c.cursor(), null)) {
      sse.awaitReady();
      Await.value("two heartbeats on an idle stream (heartbeats so far)", Duration.ofSeconds(10), sse::heartbeats, n -> n >= 2);
      relay.http().sendGet(c.url(), "still alive");
      assertEquals("still alive", sse.nextMessage().data());
    }
  }

  @Test
  void concurrentSendsNeverInterleaveFramesOnOneStream() throws Exception {
    Connection c = relay.http().connect();
    int sends = 300;
    try (Receiver sse = Receiver.Kind.SSE.open(relay.base(), c, c.cursor()).awaitReady();
         Receiver ws = Receiver.Kind.WEBSOCKET.open(relay.base(), c, c.cursor()).awaitReady()) {
      List<CompletableFuture<RelayClient.Answer>> pending = new ArrayList<>();
      for (int i = 0; i < sends; i++) {
        String body = "line one\nline two " + i + " \r\n\u2028 \"quoted\"";
        pending.add(relay.http().send(HttpRequest.newBuilder(URI.create(c.url()))
            .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain").build()));
      }
      pending.forEach(p -> assertEquals(202, p.join().status()));
      for (Receiver receiver : List.of(sse, ws)) {
        for (int seq = 1; seq <= sends; seq++) {
          Event e = receiver.nextMessage();
          assertEquals(seq, e.seq(), "in order, once each");
          assertTrue(e.data().startsWith("line one\nline two "), e.data());
        }
        receiver.assertQuiet(100);
      }
    }
  }

  @Test
  void sseRefusesBadInputWithJsonBeforeStreaming() {
    Connection c = relay.http().connect();
    RelayClient.Answer wrong = relay.http().send(HttpRequest.newBuilder(URI.create(relay.base() + "/events?client="
        + c.client() + "&channel=" + c.channel() + "&key=nope")).header("Accept", "text/event-stream").build()).join();
    assertError(wrong, 403, "wrong_key");
    assertError(relay.http().get("/events?client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key()
        + "&cursor=garbage"), 400, "bad_cursor");
  }

  @Test
  void webSocketRoutesSendFramesAndRepliesWithTheResult() throws Exception {
    Connection me = relay.http().connect();
    Connection friend = relay.http().connect();
    try (WebSocketReceiver ws = (WebSocketReceiver) Receiver.Kind.WEBSOCKET.open(relay.base(), me, me.cursor()).awaitReady();
         Receiver friendWs = Receiver.Kind.WEBSOCKET.open(relay.base(), friend, friend.cursor()).awaitReady()) {
      ws.send("{\"to\":\"" + friend.url() + "\",\"message\":\"hi friend\",\"id\":7}");
      JsonNode reply = ws.nextOther();
      assertEquals(7, reply.get("reply").asInt());
      assertEquals(202, reply.get("status").asInt());
      assertEquals(1, reply.get("seq").asInt());
      assertEquals("hi friend", friendWs.nextMessage().data());

      ws.send("{\"to\":\"" + friend.url() + "x\",\"message\":\"nobody\",\"id\":8}");
      JsonNode unknown = ws.nextOther();
      assertEquals("unknown_address", unknown.get("error").asText());
      assertEquals(404, unknown.get("status").asInt());
      ws.send("not json");
      assertEquals("bad_json", ws.nextOther().get("error").asText());
      ws.send("{\"to\":\"" + friend.url() + "\"}");
      assertEquals("missing_message", ws.nextOther().get("error").asText());
      ws.send("{\"to\":\"https://elsewhere.example/x\",\"message\":\"m\"}");
      assertEquals("bad_address", ws.nextOther().get("error").asText());
    }
  }

  @Test
  void webSocketAckIsRecordedForTheChannel() throws Exception {
    Connection c = relay.http().connect();
    try (WebSocketReceiver ws = (WebSocketReceiver) Receiver.Kind.WEBSOCKET.open(relay.base(), c, c.cursor()).awaitReady()) {
      relay.http().sendGet(c.url(), "confirm me");
      Event e = ws.nextMessage();
      ws.send("{\"ack\":\"" + e.cursor() + "\"}");
      assertTrue(confirmed(c, e.seq()), "the ack confirmed message " + e.seq());
    }
  }

  /** Whether the channel's message {@code seq} is confirmed (a receipt), waiting at most 5 s for it. */
  private static boolean confirmed(Connection c, long seq) throws Exception {
    ChannelId channel = new ChannelId(c.client(), c.channel());
    Await.until("message " + seq + " confirmed", Duration.ofSeconds(5),
        () -> relay.relay().store().confirmed(channel).toCompletableFuture().get(10, TimeUnit.SECONDS).seq() >= seq);
    return true;
  }

  @Test
  void webSocketHeartbeatsWhenIdleDatedByTheRelaysClock() throws Exception {
    relay.clock().advance(Duration.ofHours(1)); // later tests connect afresh and read the same clock
    long notBefore = relay.clock().getAsLong();
    Connection c = relay.http().connect();
    try (WebSocketReceiver ws = (WebSocketReceiver) Receiver.Kind.WEBSOCKET.open(relay.base(), c, c.cursor()).awaitReady()) {
      long dated = ws.nextHeartbeat().get("heartbeat").asLong();
      assertTrue(dated >= notBefore && dated <= relay.clock().getAsLong(), "heartbeat " + dated + " on the relay's clock");
    }
  }

  @Test
  void refusedWebSocketIsToldWhyInAFrameAndClosedWithStatusCode() throws Exception {
    Connection c = relay.http().connect();
    WebSocketReceiver ws = new WebSocketReceiver(relay.base(),
        "client=" + c.client() + "&channel=" + c.channel() + "&key=wrong", null);
    JsonNode error = ws.nextOther();
    assertEquals("wrong_key", error.get("error").asText());
    assertEquals(4403, ws.closeCode());
  }

  @Test
  void oversizedWebSocketFrameClosesTheConnection() throws Exception {
    Connection c = relay.http().connect();
    WebSocketReceiver ws = (WebSocketReceiver) Receiver.Kind.WEBSOCKET.open(relay.base(), c, c.cursor()).awaitReady();
    try {
      ws.send("{\"to\":\"" + c.url() + "\",\"message\":\"" + "x".repeat(200_000) + "\"}");
    } catch (RuntimeException expected) {
      // the relay may close while the frame is still being written
    }
    int code = ws.closeCode();
    // 1009 (message too big) when the close frame arrives first; a reset (-1) when the relay
    // closes while the client is still writing the oversized frame. Either way it is closed.
    assertTrue(code == 1009 || code == -1, "closed with " + code);
  }

  @Test
  void ackEndpointConfirmsForSseReceivers() throws Exception {
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "x");
    String cursor = relay.http().poll(c, c.cursor(), 0).json().get("cursor").asText();
    RelayClient.Answer ok = relay.http().post("/ack", "application/json", "{\"client\":\"" + c.client() + "\",\"channel\":\""
        + c.channel() + "\",\"key\":\"" + c.key() + "\",\"cursor\":\"" + cursor + "\"}");
    assertEquals(200, ok.status(), ok.body());
    assertTrue(confirmed(c, 1), "the ack confirmed message 1");
    assertError(relay.http().post("/ack", "application/json", "{\"client\":\"" + c.client() + "\",\"channel\":\""
        + c.channel() + "\",\"key\":\"bad\",\"cursor\":\"" + cursor + "\"}"), 403, "wrong_key");
    assertError(relay.http().post("/ack", "application/json", "{\"client\":\"" + c.client() + "\",\"channel\":\""
        + c.channel() + "\",\"key\":\"" + c.key() + "\"}"), 400, "bad_cursor");
  }

  @Test
  void browserLibraryIsServedAsJavaScript() {
    RelayClient.Answer js = relay.http().get("/addressable.js");
    assertEquals(200, js.status());
    assertTrue(js.header("Content-Type").startsWith("application/javascript"));
    assertEquals("*", js.header("Access-Control-Allow-Origin"));
    assertTrue(js.body().contains("Addressable"));
    assertTrue(relay.http().get("/addressable.mjs").body().contains("export"));
  }
}
