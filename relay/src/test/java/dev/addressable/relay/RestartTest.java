package dev.addressable.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TestRelay;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RestartTest {

  @TempDir Path dataDir;

  @Test
  void sameClientIdAndKeyWorkAfterARestartAndTheOldCursorGetsMissed() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Connection before;
    String cursorBefore;
    try (TestRelay first = TestRelay.start(dataDir, c -> c.withServer(c.server().withPort(port)))) {
      RelayClient http = first.client();
      before = http.connect("{\"channel\":\"kept\"}");
      http.sendGet(before.url(), "before the restart");
      cursorBefore = http.poll(before, before.cursor(), 0).json().get("cursor").asText();
    }

    try (TestRelay second = TestRelay.start(dataDir, c -> c.withServer(c.server().withPort(port)))) {
      RelayClient http = second.client();
      assertEquals(404, http.sendGet(before.url(), "nobody home yet").status(), "channels live in memory");

      Connection after = http.connect(before, "kept");
      assertEquals(before.client(), after.client());
      assertEquals(before.key(), after.key(), "the key is derived from the kept secret");
      assertEquals(before.url(), after.url(), "the tab keeps its address");

      Answer sent = http.sendGet(after.url(), "after the restart");
      assertEquals(202, sent.status());
      assertEquals(1, sent.json().get("seq").asLong(), "a new inbox, a new epoch");

      JsonNode answer = http.poll(before, cursorBefore, 5).json();
      assertTrue(answer.get("missed").asBoolean(), answer.toString());
      assertEquals("after the restart", answer.get("messages").get(0).get("data").asText());
      assertNotEquals(cursorBefore.split("\\.")[0], answer.get("cursor").asText().split("\\.")[0]);
    }
  }

  @Test
  void parkedReceiversAreAnsweredNotCutWhenTheRelayStops() throws Exception {
    TestRelay relay = TestRelay.start(dataDir, c -> c);
    RelayClient http = relay.client();
    Connection c = http.connect();
    var poll = http.pollAsync(c, c.cursor(), 30);
    var ws = (dev.addressable.relay.testing.WebSocketReceiver)
        dev.addressable.relay.testing.Receiver.Kind.WEBSOCKET.open(relay.base(), c, c.cursor()).awaitReady();
    Await.value("the poll and the WebSocket waiting at the relay (waiters)", Duration.ofSeconds(5),
        () -> relay.relay().receivers().waiterCount(new ChannelId(c.client(), c.channel())), n -> n >= 2);
    relay.close();
    Answer answer = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, answer.status(), "the parked poll gets its ordinary empty answer: " + answer.body());
    assertEquals(0, answer.json().get("messages").size());
    assertEquals(1001, ws.closeCode(), "a WebSocket is told the relay is going away");
  }

  /**
   * Once a closing relay has drained its parker it can only answer {@code shutting_down}: it must
   * not take connections by then. It used to listen until its server stopped (a second later), so
   * browsers that reconnect at once were served {@code shutting_down} over and over, and one that
   * came in the last moment was accepted and never answered.
   */
  @Test
  void aClosingRelayRefusesNewConnectionsOnceItHasDrained() throws Exception {
    TestRelay relay = TestRelay.start(dataDir, c -> c);
    RelayClient http = relay.client();
    Connection c = http.connect();
    var poll = http.pollAsync(c, c.cursor(), 30);
    Await.value("the poll waiting at the relay", Duration.ofSeconds(5),
        () -> relay.hasReceiver(c.client(), c.channel()), waiting -> waiting);
    java.net.URI base = java.net.URI.create(relay.base());
    Thread closing = new Thread(relay::close, "closing the relay");
    closing.start();
    try {
      Answer answer = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(200, answer.status(), "the drain answered the parked poll: " + answer.body());
      try (java.net.Socket socket = new java.net.Socket()) {
        org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class,
            () -> socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 2_000),
            "a relay past its drain still accepted a connection");
      }
    } finally {
      closing.join(10_000);
    }
  }

  @Test
  void aPollWithAValidKeyRevivesItsChannelAfterARestart() {
    Connection before;
    String cursor;
    try (TestRelay first = TestRelay.start(dataDir, c -> c)) {
      before = first.client().connect();
      cursor = before.cursor();
    }
    try (TestRelay second = TestRelay.start(dataDir, c -> c)) {
      RelayClient http = second.client();
      JsonNode answer = http.poll(before, cursor, 5).json();
      assertTrue(answer.get("missed").asBoolean(), "answered at once, honestly");
      assertEquals(0, answer.get("messages").size());
      String address = second.base() + "/m/" + before.client() + "/" + before.channel();
      assertEquals(202, http.sendGet(address, "hello again").status());
      JsonNode next = http.poll(before, answer.get("cursor").asText(), 5).json();
      assertEquals("hello again", next.get("messages").get(0).get("data").asText());
      assertFalse(next.has("missed"));
    }
  }

  @Test
  void aTabWhoseSubscriptionsWereForgottenIsToldWhichOnes() {
    Connection before;
    String topic;
    String cursor;
    String subscribeKey;
    try (TestRelay first = TestRelay.start(dataDir, c -> c)) {
      RelayClient http = first.client();
      before = http.connect();
      JsonNode created = http.post("/topics", null, null).json();
      topic = created.get("topic").asText();
      subscribeKey = created.get("subscribeKey").asText();
      assertEquals(200, http.post("/subscribe", "application/x-www-form-urlencoded", "client=" + before.client()
          + "&key=" + before.key() + "&channel=" + before.channel() + "&topic=" + topic + "&subscribeKey="
          + subscribeKey).status());
      http.sendGet(created.get("url").asText(), "published before");
      cursor = http.poll(before, before.cursor(), 0).json().get("cursor").asText();
      assertTrue(cursor.contains("~" + topic + "."), "the cursor holds the topic's place: " + cursor);
    }
    try (TestRelay second = TestRelay.start(dataDir, c -> c)) { // as after a kill -9: nothing kept but the secret
      RelayClient http = second.client();
      JsonNode answer = http.poll(before, cursor, 5).json();
      assertTrue(answer.get("missed").asBoolean(), answer.toString());
      assertEquals(topic, answer.get("unsubscribed").get(0).asText(), "told to subscribe again: " + answer);
      assertEquals(200, http.post("/subscribe", "application/x-www-form-urlencoded", "client=" + before.client()
          + "&key=" + before.key() + "&channel=" + before.channel() + "&topic=" + topic + "&subscribeKey="
          + subscribeKey).status(), "the same id and key work after the restart");
      JsonNode next = http.poll(before, answer.get("cursor").asText(), 0).json();
      assertFalse(next.has("unsubscribed"), next.toString());
    }
  }
}
