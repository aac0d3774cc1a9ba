package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.testing.SseReceiver;
import dev.addressable.relay.testing.Sockets;
import dev.addressable.relay.testing.TestRelay;
import dev.addressable.relay.transport.ClientPolls;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --max-polls-per-client} (default 4), the safety net for tabs that do not share one
 * connection: a client's parked polls (JSONP's too) and SSE streams are counted, WebSockets are
 * not; past the cap a poll is answered at once with {@code "interval":2000} and a stream is refused
 * 429 {@code too_many_polls}. The count comes back however a poll or stream ends.
 */
@Timeout(60)
class PollsPerClientTest {

  private static final Duration SOON = Duration.ofSeconds(5);
  private static final int CAP = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> c.withPoll(c.poll().withHeartbeat(Duration.ofSeconds(1))));

  private static int held(Connection c) {
    return relay.relay().clientPolls().held(c.client());
  }

  private static void awaitHeld(Connection c, int count) {
    Await.value(count + " polls and streams held by the client", SOON, () -> held(c), n -> n == count);
  }

  /** {@code CAP} polls of {@code c}, parked at the end of its inbox. */
  private static List<CompletableFuture<Answer>> fill(Connection c) {
    List<CompletableFuture<Answer>> polls = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      polls.add(relay.http().pollAsync(c, null, 20));
    }
    awaitHeld(c, CAP);
    return polls;
  }

  /** Answers the polls {@link #fill} parked on {@code c}'s channel with one message. */
  private static void release(Connection c, List<CompletableFuture<Answer>> polls) throws Exception {
    relay.http().sendGet(c.url(), "release");
    for (CompletableFuture<Answer> poll : polls) {
      assertEquals(200, poll.get(5, TimeUnit.SECONDS).status());
    }
    awaitHeld(c, 0);
  }

  private static long overCapMetric() {
    for (String line : relay.http().get("/metrics").body().split("\n")) {
      if (line.startsWith("addressable_polls_over_client_cap_total ")) {
        return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no addressable_polls_over_client_cap_total in /metrics");
  }

  /** A poll, as JSON or JSONP, parsed; the JSONP one unwrapped from its script. */
  private static JsonNode pollNow(Connection c, String channel, String cursor, boolean jsonp) throws Exception {
    String query = "client=" + c.client() + "&channel=" + channel + "&key=" + c.key() + "&timeout=20"
        + (cursor == null ? "" : "&cursor=" + RelayClient.enc(cursor)) + (jsonp ? "&callback=app.got" : "");
    Answer answer = relay.http().getAsync("/poll?" + query).get(5, TimeUnit.SECONDS); // at once, not after 20 s
    assertEquals(200, answer.status(), answer.body());
    String body = answer.body();
    if (jsonp) {
      assertTrue(body.startsWith("/**/app.got(") && body.endsWith(");"), body);
      body = body.substring("/**/app.got(".length(), body.length() - 2);
    }
    return JSON.readTree(body);
  }

  private static Answer openStream(String query) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(relay.base() + "/events?" + query))
        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build();
    return relay.http().send(request).get(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aPollPastTheCapIsAnsweredAtOnceEmptyAtItsCursorWithAnInterval(boolean jsonp) throws Exception {
    Connection c = relay.http().connect();
    List<CompletableFuture<Answer>> parked = fill(c);
    long before = overCapMetric();

    JsonNode answer = pollNow(c, c.channel(), c.cursor(), jsonp);
    assertEquals(ClientPolls.INTERVAL_MILLIS, answer.get("interval").asInt(), answer.toString());
    assertEquals(0, answer.get("messages").size(), answer.toString());
    assertEquals(c.cursor(), answer.get("cursor").asText(), "its cursor unchanged");
    if (jsonp) {
      assertEquals(200, answer.get("status").asInt(), answer.toString());
    }
    assertEquals(before + 1, overCapMetric(), "counted in addressable_polls_over_client_cap_total");
    assertEquals(CAP, held(c), "the refused poll took no slot");
    parked.forEach(p -> assertFalse(p.isDone(), "the parked polls still wait"));
    release(c, parked);

    Answer below = relay.http().poll(c, c.cursor(), 0);
    assertFalse(below.json().has("interval"), "no interval below the cap: " + below.body());
  }

  @Test
  void aPollPastTheCapStillGetsWhatIsWaitingForIt() throws Exception {
    Connection c = relay.http().connect();
    Connection other = relay.http().connect(c, "other");
    List<CompletableFuture<Answer>> parked = fill(c);
    relay.http().sendGet(other.url(), "waiting");

    JsonNode answer = pollNow(other, other.channel(), other.cursor(), false);
    assertEquals("waiting", answer.get("messages").get(0).get("data").asText(), answer.toString());
    assertEquals(ClientPolls.INTERVAL_MILLIS, answer.get("interval").asInt());
    assertTrue(answer.get("cursor").asText().endsWith(".1"), answer.toString());
    release(c, parked);
  }

  @Test
  void aHubCountsAsOnePollWhateverItCarriesAndIsToldToWaitPastTheCap() throws Exception {
    Connection a = relay.http().connect();
    Connection b = relay.http().connect(a, "tabB");
    Connection d = relay.http().connect(a, "tabD");
    String channels = RelayClient.enc(a.channel() + ":" + a.cursor() + ",tabB:" + b.cursor() + ",tabD:" + d.cursor());
    String hub = "/poll?client=" + a.client() + "&key=" + a.key() + "&timeout=20&channels=" + channels + "&hub=";
    CompletableFuture<Answer> hubPoll = relay.http().getAsync(hub + 1);
    awaitHeld(a, 1);
    List<CompletableFuture<Answer>> polls = new ArrayList<>();
    for (int i = 1; i < CAP; i++) {
      polls.add(relay.http().pollAsync(b, b.cursor(), 20));
    }
    awaitHeld(a, CAP);

    // The same leader polls again (a tab joined): answered at once, and told to wait.
    Answer again = relay.http().getAsync(hub + 1).get(5, TimeUnit.SECONDS);
    assertEquals(200, again.status(), again.body());
    assertEquals(ClientPolls.INTERVAL_MILLIS, again.json().get("interval").asInt(), again.body());
    assertTrue(again.json().get("channels").isObject(), again.body());
    assertEquals(200, hubPoll.get(5, TimeUnit.SECONDS).status(), "the older poll of the same term is answered");
    awaitHeld(a, CAP - 1);

    relay.http().sendGet(b.url(), "release");
    for (CompletableFuture<Answer> poll : polls) {
      assertEquals(200, poll.get(5, TimeUnit.SECONDS).status());
    }
    awaitHeld(a, 0);
  }

  @Test
  void anEventStreamPastTheCapIsRefused429TooManyPolls() throws Exception {
    Connection c = relay.http().connect();
    List<CompletableFuture<Answer>> parked = fill(c);
    long before = overCapMetric();

    Answer refused = openStream("client=" + c.client() + "&channel=" + c.channel() + "&key=" + c.key());
    assertError(refused, 429, "too_many_polls");
    assertEquals("2", refused.header("Retry-After"));
    String message = refused.json().get("message").asText();
    assertTrue(message.contains("--max-polls-per-client") && message.contains(String.valueOf(CAP)), message);
    Answer hub = openStream("client=" + c.client() + "&key=" + c.key() + "&hub=7&channels=" + c.channel());
    assertError(hub, 429, "too_many_polls");
    assertEquals(before + 2, overCapMetric());
    release(c, parked);
  }

  @Test
  void anOpenEventStreamCountsUntilItsClientHangsUp() throws Exception {
    Connection c = relay.http().connect();
    try (SseReceiver stream = new SseReceiver(relay.base(), c, c.cursor(), null)) {
      awaitHeld(c, 1);
      Await.until("the stream is open", SOON, stream::isReady);
      List<CompletableFuture<Answer>> polls = new ArrayList<>();
      for (int i = 1; i < CAP; i++) {
        polls.add(relay.http().pollAsync(c, c.cursor(), 20));
      }
      awaitHeld(c, CAP);
      assertEquals(ClientPolls.INTERVAL_MILLIS, pollNow(c, c.channel(), c.cursor(), false).get("interval").asInt());
      stream.close();
      awaitHeld(c, CAP - 1);
      relay.http().sendGet(c.url(), "release");
      for (CompletableFuture<Answer> poll : polls) {
        assertEquals(200, poll.get(5, TimeUnit.SECONDS).status());
      }
      awaitHeld(c, 0);
    }
  }

  @Test
  void webSocketsAreNotCounted() throws Exception {
    Connection c = relay.http().connect();
    List<Receiver> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < CAP + 2; i++) {
        Connection tab = relay.http().connect(c, "ws" + i);
        Receiver socket = Receiver.Kind.WEBSOCKET.open(relay.base(), tab, tab.cursor());
        sockets.add(socket);
        Await.until("socket " + i + " open", SOON, socket::isReady);
      }
      Await.until("every socket holds its channel", SOON, () -> relay.hasReceiver(c.client(), "ws" + (CAP + 1)));
      assertEquals(0, held(c), "sockets hold no slot");
      List<CompletableFuture<Answer>> polls = fill(c);
      release(c, polls);
    } finally {
      sockets.forEach(Receiver::close);
    }
  }

  /** A raw request on a socket of its own, for a client that goes away by closing it. */
  private static Socket request(String target, String headers) throws IOException {
    Socket socket = Sockets.open(relay.port());
    Sockets.write(socket, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
    return socket;
  }

  /** Reads {@code socket} until {@code text} has come (its read timeout bounds the wait). */
  private static void readUntil(Socket socket, String text) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (seen.indexOf(text) < 0) {
      int n = socket.getInputStream().read(buffer);
      if (n < 0) {
        throw new AssertionError("closed before " + text + ": " + seen);
      }
      seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
  }

  private static Socket stream(String query) throws IOException {
    return request("/events?" + query, "Accept: text/event-stream\r\n");
  }

  /**
   * Every way a poll or stream ends gives its slot back, many times over: answered, timed out,
   * its client gone, superseded (by a hub of a newer term), refused with an error. Afterwards the
   * client parks {@code CAP} polls again and the next is told to wait: nothing leaked.
   */
  @Test
  void everyWayAPollOrStreamEndsGivesItsSlotBack() throws Exception {
    Connection c = relay.http().connect();
    Connection b = relay.http().connect(c, "tabB");
    String tabB = "client=" + c.client() + "&channel=tabB&key=" + c.key();
    String hub = "client=" + c.client() + "&key=" + c.key() + "&channels=tabB&hub=";
    String ahead = RelayClient.enc(b.cursor().substring(0, b.cursor().lastIndexOf('.') + 1) + "999");
    long term = 0;
    for (int round = 0; round < 5; round++) {
      // Answered by a send, and timed out.
      CompletableFuture<Answer> answered = relay.http().pollAsync(c, null, 20);
      CompletableFuture<Answer> timedOut = relay.http().pollAsync(b, null, 1);
      awaitHeld(c, 2);
      relay.http().sendGet(c.url(), "answer " + round);
      assertEquals(1, answered.get(5, TimeUnit.SECONDS).json().get("messages").size());
      assertEquals(0, timedOut.get(5, TimeUnit.SECONDS).json().get("messages").size());
      awaitHeld(c, 0);

      // The client goes away while they wait: a poll, a JSONP poll, a hub's poll, a stream, a hub's stream.
      List<Socket> gone = List.of(request("/poll?" + tabB + "&timeout=20", ""),
          request("/poll?" + tabB + "&timeout=20&callback=cb", ""), stream(tabB), stream(hub + ++term));
      awaitHeld(c, 4);
      for (Socket socket : gone) {
        socket.close();
      }
      awaitHeld(c, 0);

      // Superseded: a hub's poll by a newer term's poll, that one by a newer term's stream, and so on.
      CompletableFuture<Answer> older = relay.http().getAsync("/poll?" + hub + ++term + "&timeout=20");
      awaitHeld(c, 1);
      Await.until("the older hub's poll waits on tabB", SOON, () -> relay.hasReceiver(c.client(), "tabB"));
      CompletableFuture<Answer> newer = relay.http().getAsync("/poll?" + hub + ++term + "&timeout=20");
      assertError(older.get(5, TimeUnit.SECONDS), 409, "superseded");
      try (Socket newerStream = stream(hub + ++term)) {
        assertError(newer.get(5, TimeUnit.SECONDS), 409, "superseded");
        awaitHeld(c, 1);
        try (Socket newestStream = stream(hub + ++term)) {
          assertEquals(200, Sockets.status(newestStream));
          readUntil(newerStream, "event: superseded");
          awaitHeld(c, 1);
        }
      }
      awaitHeld(c, 0);

      // Refused: a cursor ahead of the inbox (plain, JSONP, a stream), and an older leader's term.
      assertError(relay.http().get("/poll?" + tabB + "&timeout=20&cursor=" + ahead), 400, "bad_cursor");
      Answer script = relay.http().get("/poll?" + tabB + "&timeout=20&callback=cb&cursor=" + ahead);
      assertTrue(script.body().startsWith("/**/cb(") && script.body().contains("bad_cursor"), script.body());
      assertError(openStream(tabB + "&cursor=" + ahead), 400, "bad_cursor");
      assertError(relay.http().get("/poll?" + hub + 1 + "&timeout=20"), 409, "stale_term");
      assertError(openStream(hub + 1), 409, "stale_term");
      awaitHeld(c, 0);
    }
    List<CompletableFuture<Answer>> parked = fill(c);
    assertEquals(ClientPolls.INTERVAL_MILLIS, pollNow(c, "tabB", null, false).get("interval").asInt(),
        "still capped at " + CAP + " after all that: nothing leaked, nothing forgotten");
    release(c, parked);
  }

  @Test
  void closingTheRelayGivesBackEverySlot() throws Exception {
    TestRelay own = TestRelay.start();
    RelayClient http = own.client();
    Connection c = http.connect();
    List<CompletableFuture<Answer>> polls = new ArrayList<>();
    for (int i = 0; i < CAP - 1; i++) {
      polls.add(http.pollAsync(c, c.cursor(), 30));
    }
    SseReceiver stream = new SseReceiver(own.base(), c, c.cursor(), null);
    ClientPolls counts = own.relay().clientPolls();
    Await.value("the client's polls and stream held", SOON, () -> counts.held(c.client()), n -> n == CAP);
    own.close();
    Await.value("nothing held once the relay closed", SOON, counts::clients, n -> n == 0);
    stream.close();
    for (CompletableFuture<Answer> poll : polls) {
      poll.handle((answer, failure) -> null).get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void zeroMeansNoCap() throws Exception {
    try (TestRelay own = TestRelay.start(c -> c.withPoll(c.poll().withMaxPerClient(0)))) {
      RelayClient http = own.client();
      Connection c = http.connect();
      List<CompletableFuture<Answer>> polls = new ArrayList<>();
      for (int i = 0; i < 2 * CAP; i++) {
        polls.add(http.pollAsync(c, c.cursor(), 20));
      }
      Await.until("every poll parked", SOON, () -> own.relay().receivers()
          .waiterCount(new dev.addressable.relay.store.ChannelId(c.client(), c.channel())) == 2 * CAP);
      try (SseReceiver stream = new SseReceiver(own.base(), c, c.cursor(), null)) {
        Await.until("a stream opens too", SOON, stream::isReady);
      }
      assertEquals(0, own.relay().clientPolls().clients(), "nothing is counted");
      http.sendGet(c.url(), "release");
      for (CompletableFuture<Answer> poll : polls) {
        Answer answer = poll.get(5, TimeUnit.SECONDS);
        assertEquals(200, answer.status());
        assertFalse(answer.json().has("interval"), answer.body());
      }
    }
  }

}
