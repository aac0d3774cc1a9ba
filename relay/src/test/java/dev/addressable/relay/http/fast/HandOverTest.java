package dev.addressable.relay.http.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.testing.RawHttp.Raw;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the relay's own connection hands to Jetty (requests it does not serve, HTTP/1.0, heads
 * longer than a read) and that a connection Jetty served comes back to it, with the same headers
 * on both paths.
 */
@Timeout(30)
class HandOverTest extends HotSocketTests {

  @Test
  void handsOverARequestPipelinedBehindAParkedPollOnceThePollIsAnswered() throws Exception {
    // The poll waits with its read interest registered; the hand-over must take it back.
    assertHandsOverHealthAfterAWokenPoll(true);
  }

  @Test
  void handsOverARequestSentAfterAParkedPollWasAnswered() throws Exception {
    assertHandsOverHealthAfterAWokenPoll(false);
  }

  /**
   * Parks a poll, wakes it from another socket, has Jetty serve {@code GET /health} on the poll's
   * socket (pipelined behind the poll, or sent after its answer), and checks the socket is back
   * on the fast path.
   */
  private static void assertHandsOverHealthAfterAWokenPoll(boolean pipelined) throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      write(polling, poll(c, c.cursor(), 20) + (pipelined ? HEALTH : ""));
      awaitParkedPolls(c, 1);
      write(sending, send(c, "wake up"));
      assertSent(read(sending), 1, 1);
      assertEquals(List.of("wake up"), data(read(polling)));
      if (!pipelined) {
        write(polling, HEALTH);
      }
      Raw health = read(polling);
      assertEquals(200, health.status(), health.text());
      write(polling, send(c, "back on the fast path"));
      assertSent(read(polling), 2, 0);
    }
    assertEquals(new Counters(3, 1), counters().since(before)); // poll, send, send; /health
  }

  @Test
  void takesTheConnectionBackAfterJettyServedAConnect() throws Exception {
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, "POST /connect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 2\r\n\r\n{}");
      Raw connected = read(socket);
      assertEquals(200, connected.status(), connected.text());
      JsonNode j = json(connected);
      Connection c = new Connection(j.get("client").asText(), j.get("key").asText(), j.get("channel").asText(),
          j.get("url").asText(), j.get("clientUrl").asText(), j.get("cursor").asText());
      write(socket, send(c, "after connect"));
      assertSent(read(socket), 1, 0);
      assertWaiting(socket, c, "after connect");
    }
    assertEquals(new Counters(2, 1), counters().since(before));
  }

  @Test
  void takesTheConnectionBackWithTheRequestsPipelinedBehindAJettyOne() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, HEALTH + send(c, "behind health") + poll(c, c.cursor(), 5));
      Raw health = read(socket);
      assertEquals(200, health.status(), health.text());
      assertSent(read(socket), 1, 0);
      assertEquals(List.of("behind health"), data(read(socket)));
    }
    assertEquals(new Counters(2, 1), counters().since(before));
  }

  @Test
  void closesAfterAnsweringARequestThatAskedToClose() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, send(c, "last", "Connection: close\r\n"));
      Raw answer = read(socket);
      assertSent(answer, 1, 0);
      assertEquals(List.of("close"), headers(answer).get("connection"), answer.text());
      assertEquals(-1, socket.getInputStream().read(), "the server must close after the answer");
    }
    assertEquals(new Counters(1, 0), counters().since(before));
  }

  @Test
  void answersHttp10ThroughJetty() throws Exception {
    Connection c = relay.http().connect();
    long onJettyBefore = hotRoutesOnJetty();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, "GET " + path(c) + "?message=old+client HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
      assertSent(read(socket), 1, 0); // in an HTTP/1.1 status line, as Jetty answers every version
      assertEquals(-1, socket.getInputStream().read(), "an HTTP/1.0 connection ends with its answer");
    }
    assertEquals(new Counters(0, 1), counters().since(before));
    assertEquals(onJettyBefore + 1, hotRoutesOnJetty(), "a GET send on Jetty's path is counted as such");
    try (Socket socket = open()) {
      assertWaiting(socket, c, "old client");
    }
  }

  private static long hotRoutesOnJetty() {
    return counter(relay.http().get("/metrics").body(), "addressable_http_hot_routes_on_jetty_total");
  }

  /** A message whose GET send is about 10,000 bytes: more than the read buffer, less than the URL limit. */
  private static String longMessage() {
    StringBuilder built = new StringBuilder();
    for (int i = 0; RelayClient.enc(built.toString()).length() < 9_900; i++) {
      built.append('[').append(i).append("] caf\u00e9 & 100% ");
    }
    return built.toString();
  }

  @Test
  void servesAUrlLongerThanOneReadItself() throws Exception {
    Connection c = relay.http().connect();
    String message = longMessage();
    String request = send(c, message);
    assertTrue(request.length() > READ_BUFFER && request.length() < MAX_URL_LENGTH, "request of " + request.length());
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, request);
      assertSent(read(socket), 1, 0);
      assertWaiting(socket, c, message);
    }
    assertEquals(new Counters(2, 0), counters().since(before),
        "a head longer than one read is gathered (up to the head limit) and served here, as is the poll after it");
  }

  @Test
  void servesALongHeadPipelinedBehindAShortOne() throws Exception {
    Connection c = relay.http().connect();
    String message = longMessage();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, send(c, "short") + send(c, message) + poll(c, c.cursor(), 5));
      assertSent(read(socket), 1, 0);
      assertSent(read(socket), 2, 0);
      assertEquals(List.of("short", message), data(read(socket)));
    }
    assertEquals(new Counters(3, 0), counters().since(before), "the short send, the long one and the poll, all served here");
  }

  @Test
  void answersTheSameHeadersOnBothPaths() throws Exception {
    String nobody = "/m/AAAAAAAAAAAAAAAAAAAAAA/tab?message=hi";
    Counters before = counters();
    Raw hot;
    try (Socket socket = open()) {
      write(socket, "GET " + nobody + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      hot = read(socket);
    }
    Counters afterHot = counters();
    assertEquals(new Counters(1, 0), afterHot.since(before));
    Raw jetty;
    try (Socket socket = open()) {
      write(socket, "GET " + nobody + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
      jetty = read(socket);
    }
    assertEquals(new Counters(0, 1), counters().since(afterHot));

    assertEquals(404, hot.status(), hot.text());
    assertEquals("unknown_address", json(hot).get("error").asText());
    assertEquals(hot.text().substring(9, hot.text().indexOf("\r\n")), jetty.text().substring(9, jetty.text().indexOf("\r\n")),
        "status and reason");
    assertEquals(hot.body(), jetty.body());
    Map<String, List<String>> hotHeaders = headers(hot);
    Map<String, List<String>> jettyHeaders = headers(jetty);
    assertEquals(1, hotHeaders.remove("date").size());
    assertEquals(1, jettyHeaders.remove("date").size());
    assertEquals(jettyHeaders, hotHeaders);
  }
}
