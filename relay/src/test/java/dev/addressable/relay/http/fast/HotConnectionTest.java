package dev.addressable.relay.http.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.RawHttp.Raw;
import dev.addressable.relay.testing.RawHttp;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's own HTTP/1.1 connection over raw sockets: what it serves itself, what it hands to
 * Jetty, and that a connection Jetty served comes back to it. Which path served a request is read
 * from the {@code /metrics} counters {@code addressable_http_fast_requests_total} and
 * {@code addressable_http_handovers_total}.
 */
@Timeout(30)
class HotConnectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Jetty's input buffer size: the most a {@link HotConnection} reads before handing over. */
  private static final int READ_BUFFER = 8192;
  /** The relay's default {@code max-url-length}. */
  private static final int MAX_URL_LENGTH = 16384;
  /** A request Jetty serves, not the relay's own connection. */
  private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  /** The two counters at one moment. */
  private record Counters(long fast, long handOvers) {

    /**
     * What was counted after {@code before}, not counting the hand-over of the {@code /metrics}
     * request that read these counters (each reading is one request Jetty serves).
     */
    Counters since(Counters before) {
      return new Counters(fast - before.fast, handOvers - before.handOvers - 1);
    }
  }

  private static Counters counters() throws IOException {
    Raw metrics = RawHttp.exchange(relay.port(), "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(200, metrics.status(), metrics.text());
    return new Counters(counter(metrics.body(), "addressable_http_fast_requests_total"),
        counter(metrics.body(), "addressable_http_handovers_total"));
  }

  private static long counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
    assertTrue(m.find(), name + " not in " + metrics);
    return Long.parseLong(m.group(1));
  }

  private static Socket open() throws IOException {
    Socket socket = new Socket("127.0.0.1", relay.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void write(Socket socket, String bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static Raw read(Socket socket) throws IOException {
    return RawHttp.readOne(socket.getInputStream());
  }

  private static String path(Connection c) {
    return "/m/" + c.client() + "/" + c.channel();
  }

  private static String send(Connection c, String message) {
    return send(c, message, "");
  }

  private static String send(Connection c, String message, String headers) {
    return "GET " + path(c) + "?message=" + RelayClient.enc(message) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }

  private static String poll(Connection c, String cursor, int timeoutSeconds) {
    return "GET /poll?client=" + c.client() + "&channel=" + c.channel() + "&cursor=" + RelayClient.enc(cursor)
        + "&timeout=" + timeoutSeconds + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + c.key() + "\r\n\r\n";
  }

  private static JsonNode json(Raw answer) throws IOException {
    return JSON.readTree(answer.body());
  }

  /** The data of a poll answer's messages, after checking it is a 200. */
  private static List<String> data(Raw answer) throws IOException {
    assertEquals(200, answer.status(), answer.text());
    List<String> out = new ArrayList<>();
    json(answer).get("messages").forEach(m -> out.add(m.get("data").asText()));
    return out;
  }

  /** Polls from {@code c}'s first cursor on {@code socket}, and checks what is waiting there. */
  private static void assertWaiting(Socket socket, Connection c, String... messages) throws IOException {
    write(socket, poll(c, c.cursor(), 0));
    assertEquals(List.of(messages), data(read(socket)));
  }

  private static void assertSent(Raw answer, long seq, int delivered) throws IOException {
    assertEquals(202, answer.status(), answer.text());
    assertEquals(seq, json(answer).get("seq").asLong(), answer.body());
    assertEquals(delivered, json(answer).get("delivered").asInt(), answer.body());
  }

  /** Header names (lower case) and their values, without the status line. */
  private static Map<String, List<String>> headers(Raw answer) {
    String head = answer.text().substring(0, answer.text().indexOf("\r\n\r\n"));
    Map<String, List<String>> headers = new TreeMap<>();
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), name -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    return headers;
  }

  private static void awaitParkedPolls(Connection c, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (relay.relay().directory().find(c.client(), c.channel()).feed().waiterCount() < count) {
      assertTrue(System.nanoTime() < deadline, "the poll never parked");
      Thread.sleep(10);
    }
  }

  @Test
  void servesManyRequestsOnOneKeptAliveSocketInOrder() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      for (int i = 1; i <= 5; i++) {
        write(socket, send(c, "m" + i));
        assertSent(read(socket), i, 0);
      }
      write(socket, poll(c, c.cursor(), 0));
      Raw polled = read(socket);
      assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), data(polled));
      write(socket, send(c, "m6"));
      assertSent(read(socket), 6, 0);
      write(socket, poll(c, json(polled).get("cursor").asText(), 0));
      assertEquals(List.of("m6"), data(read(socket)));
    }
    assertEquals(new Counters(8, 0), counters().since(before));
  }

  @Test
  void answersTwoPipelinedRequestsInOrder() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, send(c, "pipelined") + poll(c, c.cursor(), 5));
      assertSent(read(socket), 1, 0);
      assertEquals(List.of("pipelined"), data(read(socket)));
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void servesAHeadSplitOverTwoWrites() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      String request = send(c, "split");
      int half = request.indexOf("Host:") + 3;
      write(socket, request.substring(0, half));
      Thread.sleep(100); // not a synchronizer: the pause makes the server read the first part alone
      write(socket, request.substring(half));
      assertSent(read(socket), 1, 0);
      assertWaiting(socket, c, "split");
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void servesAWholeHeadAndThenOneWhoseRestArrivesLater() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      String second = send(c, "second");
      int half = second.indexOf('?') + 4;
      write(socket, send(c, "first") + second.substring(0, half));
      assertSent(read(socket), 1, 0);
      Thread.sleep(100); // not a synchronizer: the pause makes the server keep the partial head alone
      write(socket, second.substring(half));
      assertSent(read(socket), 2, 0);
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

  @Test
  void answersManyPipelinedRequestsInOrder() throws Exception {
    Connection c = relay.http().connect();
    int count = 500;
    StringBuilder requests = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      requests.append(send(c, "p" + i));
    }
    assertTrue(requests.length() > 4 * READ_BUFFER, "requests of " + requests.length() + " bytes");
    Counters before = counters();
    try (Socket socket = open()) {
      // Written by another thread while this one reads, so neither side's buffers need to hold it all.
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          write(socket, requests.toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      for (int i = 1; i <= count; i++) {
        assertSent(read(socket), i, 0);
      }
      written.get(5, TimeUnit.SECONDS);
    }
    assertEquals(new Counters(count, 0), counters().since(before));
  }

  @Test
  void answersTheSocketCannotTakeAtOnceArriveWholeAndInOrder() throws Exception {
    Connection c = relay.http().connect();
    String big = "b".repeat(7000); // each answer nearly fills a thread's answer buffer
    try (Socket socket = open()) {
      write(socket, send(c, big));
      assertSent(read(socket), 1, 0);
    }
    int count = 1000; // 7 MB of answers: more than both sockets' buffers hold
    StringBuilder polls = new StringBuilder();
    for (int i = 0; i < count; i++) {
      polls.append(poll(c, c.cursor(), 0));
    }
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", relay.port()));
      socket.setSoTimeout(10_000);
      CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
        try {
          write(socket, polls.toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      Thread.sleep(300); // the relay's writes find the socket full meanwhile
      for (int i = 0; i < count; i++) {
        assertEquals(List.of(big), data(read(socket)), "answer " + i);
      }
      written.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void answersAPollWokenFromAnotherSocketAndGoesOnServing() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      write(polling, poll(c, c.cursor(), 20));
      awaitParkedPolls(c, 1);
      write(sending, send(c, "wake up"));
      assertSent(read(sending), 1, 1);
      Raw polled = read(polling);
      assertEquals(List.of("wake up"), data(polled));
      write(polling, send(c, "again") + poll(c, json(polled).get("cursor").asText(), 5));
      assertSent(read(polling), 2, 0);
      assertEquals(List.of("again"), data(read(polling)));
    }
    assertEquals(new Counters(4, 0), counters().since(before));
  }

  @Test
  void answersAParkedPollBeforeTheRequestPipelinedBehindIt() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      long start = System.nanoTime();
      write(socket, poll(c, c.cursor(), 1) + send(c, "behind"));
      Raw polled = read(socket);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(List.of(), data(polled), "the send behind the poll must not be served first");
      assertTrue(waitedMillis >= 900, "the poll was answered after " + waitedMillis + " ms, not at its timeout");
      assertSent(read(socket), 1, 0);
      write(socket, poll(c, json(polled).get("cursor").asText(), 0));
      assertEquals(List.of("behind"), data(read(socket)));
    }
    assertEquals(new Counters(3, 0), counters().since(before));
  }

  @Test
  void readsNothingMoreWhileAPollIsParked() throws Exception {
    Connection c = relay.http().connect();
    Counters before = counters();
    try (Socket socket = open()) {
      long start = System.nanoTime();
      write(socket, poll(c, c.cursor(), 1));
      awaitParkedPolls(c, 1);
      write(socket, send(c, "while parked"));
      Raw polled = read(socket);
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(List.of(), data(polled));
      assertTrue(waitedMillis >= 900, "the poll was answered after " + waitedMillis + " ms, not at its timeout");
      assertSent(read(socket), 1, 0);
    }
    assertEquals(new Counters(2, 0), counters().since(before));
  }

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
  void aSendThatWakesAPollWithARequestBehindItGoesOnServingItsOwnSocket() throws Exception {
    Connection c = relay.http().connect();
    Connection other = relay.http().connect();
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      // The woken poll's connection serves the send pipelined behind it; the sender's connection,
      // whose thread does the waking, must still serve the request pipelined behind its own.
      write(polling, poll(c, c.cursor(), 20) + send(other, "behind the poll"));
      awaitParkedPolls(c, 1);
      write(sending, send(c, "wake up") + send(other, "behind the send"));
      assertSent(read(sending), 1, 1);
      assertEquals(202, read(sending).status());
      assertEquals(List.of("wake up"), data(read(polling)));
      assertEquals(202, read(polling).status());
      // Two sockets: the two sends behind may land in either order.
      write(sending, poll(other, other.cursor(), 0));
      assertEquals(List.of("behind the poll", "behind the send"), data(read(sending)).stream().sorted().toList());
    }
    assertEquals(new Counters(5, 0), counters().since(before));
  }

  @Test
  void servesPollAfterPollWokenFromAnotherSocket() throws Exception {
    Connection c = relay.http().connect();
    int rounds = 200;
    Counters before = counters();
    try (Socket polling = open(); Socket sending = open()) {
      String cursor = c.cursor();
      for (int i = 1; i <= rounds; i++) {
        write(polling, poll(c, cursor, 20));
        if (i % 2 == 0) {
          awaitParkedPolls(c, 1); // half parked first, half racing the send
        }
        write(sending, send(c, "m" + i));
        assertEquals(202, read(sending).status());
        Raw polled = read(polling);
        assertEquals(List.of("m" + i), data(polled), "round " + i);
        cursor = json(polled).get("cursor").asText();
      }
    }
    assertEquals(new Counters(2 * rounds, 0), counters().since(before));
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
    Counters before = counters();
    try (Socket socket = open()) {
      write(socket, "GET " + path(c) + "?message=old+client HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
      assertSent(read(socket), 1, 0); // in an HTTP/1.1 status line, as Jetty answers every version
      assertEquals(-1, socket.getInputStream().read(), "an HTTP/1.0 connection ends with its answer");
    }
    assertEquals(new Counters(0, 1), counters().since(before));
    try (Socket socket = open()) {
      assertWaiting(socket, c, "old client");
    }
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
