package dev.addressable.relay.http;

import static dev.addressable.relay.http.ConnectTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.text.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hub receive (docs/protocol.md, "Hub receive"): one connection that carries several channels
 * of one client, on each transport, fenced by the leader's term.
 */
@Timeout(60)
class HubReceiveTest {

  /**
   * Without --max-polls-per-client: the flood test's 60 hub polls of one client arrive together,
   * and past the cap some would be answered with an interval instead of superseded (the cap and
   * hubs: {@code PollsPerClientTest}).
   */
  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(
      c -> c.withPoll(c.poll().withHeartbeat(Duration.ofSeconds(1)).withMaxPerClient(0)));

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Two tabs of one client: their connections, as each tab makes its own with /connect. */
  private static Connection[] twoTabs() {
    Connection a = relay.http().connect();
    Connection b = relay.http().connect(a, "tabB");
    return new Connection[] {a, b};
  }

  private static String channels(Connection... tabs) {
    List<String> parts = new ArrayList<>();
    for (Connection tab : tabs) {
      parts.add(tab.channel() + ":" + tab.cursor());
    }
    return RelayClient.enc(String.join(",", parts));
  }

  private static Answer hubPoll(Connection client, long term, String channels, int timeout) {
    return relay.http().get("/poll?client=" + client.client() + "&key=" + client.key() + "&hub=" + term
        + "&timeout=" + timeout + "&channels=" + channels);
  }

  private static CompletableFuture<Answer> hubPollAsync(Connection client, long term, String channels, int timeout) {
    return relay.http().getAsync("/poll?client=" + client.client() + "&key=" + client.key() + "&hub=" + term
        + "&timeout=" + timeout + "&channels=" + channels);
  }

  // ---- long-poll ----------------------------------------------------------------------------

  @Test
  void aHubPollOfNoChannelIsAnsweredAtOnceWithAPauseSinceNothingCouldEndItsWait() {
    Connection tab = relay.http().connect();
    Answer answer = hubPoll(tab, 1, "", 25);
    assertEquals(200, answer.status(), answer.body());
    assertEquals(0, answer.json().get("channels").size(), answer.body());
    assertEquals(2000, answer.json().get("interval").asInt(), "asks the hub to wait before it polls again");
  }

  @Test
  void aHubPollAnswersWithTheChannelThatHasSomethingAndLeavesTheOthersOut() {
    Connection[] tabs = twoTabs();
    relay.http().sendGet(tabs[1].url(), "for b");
    Answer answer = hubPoll(tabs[0], 1, channels(tabs), 5);
    assertEquals(200, answer.status(), answer.body());
    JsonNode got = answer.json().get("channels");
    assertEquals(1, got.size(), answer.body());
    assertEquals("for b", got.get("tabB").get("messages").get(0).get("data").asText());
    assertTrue(got.get("tabB").get("cursor").asText().endsWith(".1"), answer.body());
  }

  @Test
  void aWaitingHubPollIsAnsweredByASendToAnyOfItsChannelsAndEveryTabGetsTheClientWideOnesOnce() throws Exception {
    Connection[] tabs = twoTabs();
    CompletableFuture<Answer> waiting = hubPollAsync(tabs[0], 1, channels(tabs), 20);
    Await.until("the hub's poll waits", Duration.ofSeconds(5), () -> relay.relay() != null && parked() >= 2);
    relay.http().sendGet(tabs[0].clientUrl(), "to everyone");
    Answer first = waiting.get(10, TimeUnit.SECONDS);
    assertEquals(200, first.status(), first.body());
    // The hub polls on with the cursors it got until each channel has the message once.
    String cursorA = tabs[0].cursor();
    String cursorB = tabs[1].cursor();
    int a = 0;
    int b = 0;
    JsonNode channels = first.json().get("channels");
    for (int round = 0; round < 5 && (a == 0 || b == 0); round++) {
      if (channels.has(tabs[0].channel())) {
        a += channels.get(tabs[0].channel()).get("messages").size();
        cursorA = channels.get(tabs[0].channel()).get("cursor").asText();
      }
      if (channels.has("tabB")) {
        b += channels.get("tabB").get("messages").size();
        cursorB = channels.get("tabB").get("cursor").asText();
      }
      if (a == 0 || b == 0) {
        channels = hubPoll(tabs[0], 1, RelayClient.enc(tabs[0].channel() + ":" + cursorA + ",tabB:" + cursorB), 1)
            .json().get("channels");
      }
    }
    assertEquals(1, a, "tab A got the client-wide message once");
    assertEquals(1, b, "tab B got the client-wide message once");
    assertEquals(0, hubPoll(tabs[0], 1, RelayClient.enc(tabs[0].channel() + ":" + cursorA + ",tabB:" + cursorB), 1)
        .json().get("channels").size(), "nothing more");
  }

  @Test
  void aHubPollThatTimesOutAnswersWithNoChannel() {
    Connection[] tabs = twoTabs();
    Answer answer = hubPoll(tabs[0], 1, channels(tabs), 1);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("{\"channels\":{}}", answer.body());
  }

  @Test
  void theSameLeadersNextPollAnswersItsParkedOneEmptyAndANewerLeaderSupersedesIt() throws Exception {
    Connection[] tabs = twoTabs();
    CompletableFuture<Answer> old = hubPollAsync(tabs[0], 5, channels(tabs[0]), 20);
    // Counting parked requests cannot tell this poll from another test's; a lower term refused can.
    Await.until("the relay has the term-5 poll", Duration.ofSeconds(5),
        () -> hubPoll(tabs[0], 4, channels(tabs[0]), 0).status() == 409);
    CompletableFuture<Answer> joined = hubPollAsync(tabs[0], 5, channels(tabs), 20); // tab B joined
    Answer replaced = old.get(5, TimeUnit.SECONDS);
    assertEquals(200, replaced.status(), replaced.body());
    assertEquals("{\"channels\":{}}", replaced.body());
    Await.until("the second poll waits", Duration.ofSeconds(5), () -> parked() >= 2);
    CompletableFuture<Answer> newer = hubPollAsync(tabs[1], 6, channels(tabs), 20);
    assertError(joined.get(5, TimeUnit.SECONDS), 409, "superseded");
    assertError(hubPoll(tabs[0], 5, channels(tabs), 1), 409, "stale_term");
    relay.http().sendGet(tabs[0].url(), "to the new leader");
    Answer answer = newer.get(5, TimeUnit.SECONDS);
    assertEquals("to the new leader",
        answer.json().get("channels").get(tabs[0].channel()).get("messages").get(0).get("data").asText());
  }

  @Test
  void aHubPollWorksAsJsonpAndAsAPostWithAFormBody() {
    Connection[] tabs = twoTabs();
    relay.http().sendGet(tabs[0].url(), "hello");
    Answer script = relay.http().get("/poll?client=" + tabs[0].client() + "&key=" + tabs[0].key()
        + "&hub=1&timeout=0&channels=" + channels(tabs) + "&callback=cb.x");
    assertEquals(200, script.status());
    assertTrue(script.body().startsWith("/**/cb.x({\"channels\":{\"" + tabs[0].channel() + "\":{"), script.body());
    assertTrue(script.body().endsWith(",\"status\":200});"), script.body());
    Answer posted = relay.http().post("/poll", "application/x-www-form-urlencoded",
        "client=" + tabs[0].client() + "&key=" + tabs[0].key() + "&hub=2&timeout=0&channels=" + channels(tabs));
    assertEquals(200, posted.status(), posted.body());
    assertEquals("hello", posted.json().get("channels").get(tabs[0].channel()).get("messages").get(0).get("data").asText());
  }

  @Test
  void aChannelWhoseCursorIsAheadGetsItsOwnErrorAndTheOthersAreRead() {
    Connection[] tabs = twoTabs();
    String ahead = tabs[1].cursor().split("\\.")[0] + ".99";
    Answer answer = hubPoll(tabs[0], 1, RelayClient.enc(tabs[0].channel() + ":" + tabs[0].cursor() + ",tabB:" + ahead), 5);
    assertEquals(200, answer.status(), answer.body());
    JsonNode refused = answer.json().get("channels").get("tabB");
    assertEquals("bad_cursor", refused.get("error").asText(), answer.body());
    assertEquals(400, refused.get("status").asInt());
    assertFalse(answer.json().get("channels").has(tabs[0].channel()), answer.body());
  }

  @Test
  void hostileHubRequestsGetClearErrors() {
    Connection c = relay.http().connect();
    String base = "/poll?client=" + c.client() + "&key=" + c.key() + "&timeout=0";
    String list = "&channels=" + channels(c);
    for (String term : List.of("0", "-1", "x", "1.5", "", "99999999999999999999", "9007199254740993")) {
      assertError(relay.http().get(base + "&hub=" + RelayClient.enc(term) + list), 400, "bad_hub");
    }
    assertError(relay.http().get(base + "&hub=1&channel=" + c.channel() + list), 400, "bad_hub");
    assertError(relay.http().get(base + "&hub=1&channels=" + RelayClient.enc("a:,a:")), 400, "bad_hub");
    assertError(relay.http().get(base + "&hub=1&channels=" + RelayClient.enc("bad name")), 400, "bad_channel");
    assertError(relay.http().get(base + "&hub=1&channels=" + RelayClient.enc(",")), 400, "bad_channel");
    assertError(relay.http().get(base + "&hub=1&channels=" + RelayClient.enc("a:not-a-cursor")), 400, "bad_cursor");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= 256; i++) {
      many.append(i == 0 ? "" : ",").append("c").append(i);
    }
    assertError(relay.http().post("/poll", "application/x-www-form-urlencoded",
        "client=" + c.client() + "&key=" + c.key() + "&hub=1&timeout=0&channels=" + many), 429, "too_many_channels");
    assertError(relay.http().get("/poll?client=" + c.client() + "&hub=1" + list), 401, "missing_key");
    Connection other = relay.http().connect();
    assertError(relay.http().get("/poll?client=" + c.client() + "&key=" + other.key() + "&hub=1" + list), 403, "wrong_key");
    assertError(relay.http().request("PUT", base + "&hub=1" + list, null, null), 405, "method_not_allowed");
  }

  @Test
  void aFloodOfHubPollsOfOneClientLeavesOneWaitingAndEveryOtherGetsAClearAnswer() throws Exception {
    Connection[] tabs = twoTabs();
    long parkedBefore = parked();
    List<CompletableFuture<Answer>> polls = new ArrayList<>();
    for (int term = 1; term <= 60; term++) {
      polls.add(hubPollAsync(tabs[0], term, channels(tabs), 20));
    }
    Await.until("the flood settles: at most the newest hub's two channels wait", Duration.ofSeconds(10),
        () -> polls.stream().filter(CompletableFuture::isDone).count() >= 59 && parked() <= parkedBefore + 2);
    int superseded = 0;
    for (CompletableFuture<Answer> poll : polls) {
      if (poll.isDone()) {
        Answer answer = poll.join();
        assertTrue(answer.status() == 409, "superseded or stale, never a 5xx: " + answer.body());
        superseded++;
      }
    }
    assertTrue(superseded >= 59, "all but the newest answered: " + superseded);
    relay.http().sendGet(tabs[1].url(), "to the newest");
    Answer newest = polls.get(polls.size() - 1).get(10, TimeUnit.SECONDS);
    assertEquals(200, newest.status(), newest.body());
    Await.until("nothing left parked", Duration.ofSeconds(5), () -> parked() <= parkedBefore);
  }

  // ---- WebSocket ----------------------------------------------------------------------------

  @Test
  void aHubSocketCarriesEveryJoinedChannelTaggedWithItsName() throws Exception {
    Connection[] tabs = twoTabs();
    try (Socket ws = Socket.open(tabs[0], 1, channels(tabs[0]))) {
      relay.http().sendGet(tabs[0].url(), "one");
      JsonNode first = ws.next();
      assertEquals(tabs[0].channel(), first.get("channel").asText(), first.toString());
      assertEquals("one", first.get("data").asText());
      ws.send("{\"join\":\"tabB\",\"cursor\":\"" + tabs[1].cursor() + "\"}");
      Await.until("tab B joined the hub", Duration.ofSeconds(5),
          () -> relay.http().get(tabs[1].url() + "/status").json().get("online").asBoolean());
      relay.http().sendGet(tabs[1].url(), "two");
      JsonNode second = ws.next();
      assertEquals("tabB", second.get("channel").asText(), second.toString());
      assertEquals("two", second.get("data").asText());
      // An ack for tab B confirms its message: a send waiting for receipt sees it.
      CompletableFuture<Answer> waiting = relay.http().getAsync(tabs[1].url() + "?message=three&wait=5");
      JsonNode third = ws.next();
      ws.send("{\"ack\":\"" + third.get("cursor").asText() + "\",\"channel\":\"tabB\"}");
      assertTrue(waiting.get(10, TimeUnit.SECONDS).json().get("received").asBoolean(), "the hub's ack is a receipt");
      ws.send("{\"leave\":\"tabB\"}");
      ws.send("{\"join\":\"bad name\"}");
      assertEquals("bad_channel", ws.next().get("error").asText(), "frames are taken in order: the leave is done");
      relay.http().sendGet(tabs[1].url(), "while away");
      ws.send("{\"ack\":\"" + third.get("cursor").asText() + "\"}");
      JsonNode refused = ws.next();
      assertEquals("bad_channel", refused.get("error").asText(), "a hub's ack names its channel, and B's message "
          + "did not come after B left: " + refused);
      ws.send("{\"join\":\"tabB\",\"cursor\":\"" + third.get("cursor").asText() + "\"}");
      JsonNode back = ws.next();
      assertEquals("while away", back.get("data").asText(), "joined again from its cursor, nothing lost: " + back);
    }
  }

  @Test
  void aNewerLeadersSocketClosesTheOldOneAndAnOlderOneIsRefused() throws Exception {
    Connection[] tabs = twoTabs();
    long supersessions = metric("addressable_hub_supersessions_total");
    try (Socket old = Socket.open(tabs[0], 7, channels(tabs))) {
      relay.http().sendGet(tabs[0].url(), "to the old hub");
      assertEquals("to the old hub", old.next().get("data").asText());
      long open = metric("addressable_hubs_open");
      try (Socket newer = Socket.open(tabs[1], 8, channels(tabs))) {
        JsonNode superseded = old.next();
        assertEquals("superseded", superseded.get("error").asText(), superseded.toString());
        assertEquals(4409, old.closeCode());
        assertEquals(supersessions + 1, metric("addressable_hub_supersessions_total"));
        try (Socket stale = Socket.open(tabs[0], 7, channels(tabs))) {
          assertEquals("stale_term", stale.next().get("error").asText());
          assertEquals(4409, stale.closeCode());
        }
        relay.http().sendGet(tabs[1].url(), "to the newer hub");
        JsonNode got = newer.next();
        if (got.get("data").asText().equals("to the old hub")) {
          got = newer.next(); // it read tab A from the cursor the URL gave
        }
        assertEquals("to the newer hub", got.get("data").asText());
        assertTrue(metric("addressable_hubs_open") <= open, "still one hub for the client");
      }
    }
  }

  @Test
  void aHubWithNoChannelStillGetsHeartbeats() throws Exception {
    Connection c = relay.http().connect();
    try (Socket ws = Socket.open(c, 1, "")) {
      assertTrue(ws.nextAny().has("heartbeat"), "a heartbeat within the interval");
      assertTrue(ws.nextAny().has("heartbeat"), "and the next");
    }
  }

  // ---- SSE ----------------------------------------------------------------------------------

  @Test
  void aHubStreamTagsEachEventWithItsChannelAndTheSameLeaderReopeningReplacesIt() throws Exception {
    Connection[] tabs = twoTabs();
    try (Events first = Events.open(tabs[0], 3, channels(tabs[0]))) {
      relay.http().sendGet(tabs[0].url(), "one");
      JsonNode one = first.nextData();
      assertEquals(tabs[0].channel(), one.get("channel").asText());
      assertEquals("one", one.get("data").asText());
      String list = RelayClient.enc(tabs[0].channel() + ":" + one.get("cursor").asText() + ",tabB:" + tabs[1].cursor());
      try (Events second = Events.open(tabs[0], 3, list)) { // tab B joined: the same leader reopens
        assertEquals("superseded", first.nextEvent("superseded").get("error").asText());
        relay.http().sendGet(tabs[1].url(), "two");
        JsonNode two = second.nextData();
        assertEquals("tabB", two.get("channel").asText());
        assertEquals("two", two.get("data").asText());
      }
    }
    Answer stale = relay.http().get("/events?client=" + tabs[0].client() + "&key=" + tabs[0].key() + "&hub=2&channels="
        + channels(tabs));
    assertError(stale, 409, "stale_term");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static long parked() {
    return metric("addressable_parked_requests");
  }

  private static long metric(String name) {
    String text = relay.http().get("/metrics").body();
    return text.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> (long) Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in /metrics: " + text));
  }

  /** A hub's WebSocket, its frames in a queue. */
  private static final class Socket implements AutoCloseable, WebSocket.Listener {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static Socket open(Connection c, long term, String channels) throws Exception {
      Socket socket = new Socket();
      String uri = relay.base().replace("http", "ws") + "/ws?client=" + c.client() + "&key=" + c.key() + "&hub=" + term
          + (channels.isEmpty() ? "" : "&channels=" + channels);
      socket.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(uri), socket).get(10, TimeUnit.SECONDS);
      return socket;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(parse(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    private static JsonNode parse(String text) {
      try {
        return Json.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text, e);
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    /** The next frame that is not a heartbeat. */
    JsonNode next() throws InterruptedException {
      while (true) {
        JsonNode frame = nextAny();
        if (!frame.has("heartbeat")) {
          return frame;
        }
      }
    }

    JsonNode nextAny() throws InterruptedException {
      JsonNode frame = frames.poll(10, TimeUnit.SECONDS);
      assertTrue(frame != null, "a frame within 10 s");
      return frame;
    }

    void send(String text) {
      ws.sendText(text, true).join();
    }

    int closeCode() throws Exception {
      return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      if (!ws.isOutputClosed()) {
        ws.sendClose(1000, "done");
      }
    }
  }

  /** A hub's SSE stream, its events in a queue as {@code name} and data. */
  private static final class Events implements AutoCloseable {
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
    private CompletableFuture<HttpResponse<Stream<String>>> response;

    static Events open(Connection c, long term, String channels) throws Exception {
      Events events = new Events();
      HttpRequest request = HttpRequest.newBuilder(URI.create(relay.base() + "/events?client=" + c.client() + "&key="
          + c.key() + "&hub=" + term + "&channels=" + channels)).build();
      events.response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
      HttpResponse<Stream<String>> answer = events.response.get(10, TimeUnit.SECONDS);
      assertEquals(200, answer.statusCode());
      Thread reader = new Thread(() -> {
        String[] name = {null};
        try {
          answer.body().forEach(line -> {
            if (line.startsWith("event: ")) {
              name[0] = line.substring(7);
            } else if (line.startsWith("data: ")) {
              events.events.add(new String[] {name[0], line.substring(6)});
              name[0] = null;
            }
          });
        } catch (RuntimeException closed) {
          // the stream ended
        }
      });
      reader.setDaemon(true);
      reader.start();
      return events;
    }

    /** The next message event's data (heartbeats skipped). */
    JsonNode nextData() throws Exception {
      return nextEvent(null);
    }

    JsonNode nextEvent(String wanted) throws Exception {
      while (true) {
        String[] event = events.poll(10, TimeUnit.SECONDS);
        assertTrue(event != null, "an event within 10 s");
        if ("heartbeat".equals(event[0])) {
          continue;
        }
        assertEquals(wanted, event[0], event[1]);
        return Json.MAPPER.readTree(event[1]);
      }
    }

    @Override
    public void close() {
      response.cancel(true);
    }
  }
}
