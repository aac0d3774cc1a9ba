package dev.addressable.relay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.config.ClusterConfig;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.Receiver.Event;
import dev.addressable.relay.testing.RedisServerExtension;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.TempDirs;
import dev.addressable.relay.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The delivery scenarios of {@code transport.DeliveryTest}, topics, receipts, status and event
 * variables, with two relays on one Redis: every send goes through relay A, every receiver reads
 * through relay B, so each message crosses Redis and each wake-up crosses pub/sub.
 */
@Timeout(60)
class TwoRelaysDeliveryTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static Path shared;
  private static TestRelay a;
  private static TestRelay b;
  private static RelayClient toA;

  @BeforeAll
  static void startRelays() throws Exception {
    redis.command("FLUSHALL");
    shared = Files.createTempDirectory("addressable-two-relays");
    a = TestRelay.start(shared, c -> c.withInbox(c.inbox().withMaxMessages(20)).withCluster(cluster("relay-a")));
    b = TestRelay.start(shared, c -> c.withInbox(c.inbox().withMaxMessages(20)).withCluster(cluster("relay-b")));
    toA = a.client();
  }

  @AfterAll
  static void stopRelays() {
    b.close();
    a.close();
    TempDirs.delete(shared);
  }

  private static ClusterConfig cluster(String name) {
    return Options.parse(new String[] {"--redis", redis.uri(), "--node-id", name}, Map.of()).cluster().orElseThrow();
  }

  private static Receiver atB(Receiver.Kind kind, Connection c, String cursor) throws Exception {
    return kind.open(b.base(), c, cursor).awaitReady();
  }

  /** In cluster mode reads complete on the store's threads: a poll that does not wait still waits for them. */
  @Test
  void aHubPollThatDoesNotWaitAnswersWithEveryChannelThatHasMessages() {
    Connection tabA = toA.connect();
    Connection tabB = toA.connect(tabA, "tabB");
    Connection tabC = toA.connect(tabA, "tabC");
    assertEquals(202, toA.sendGet(tabA.url(), "for A").status());
    assertEquals(202, toA.sendGet(tabC.url(), "for C").status());
    String channels = RelayClient.enc(tabA.channel() + ":" + tabA.cursor() + "," + tabB.channel() + ":" + tabB.cursor()
        + "," + tabC.channel() + ":" + tabC.cursor());
    Answer answer = b.client().get("/poll?client=" + tabA.client() + "&key=" + tabA.key() + "&hub=1&timeout=0&channels="
        + channels);
    assertEquals(200, answer.status(), answer.body());
    JsonNode got = answer.json().get("channels");
    assertEquals("for A", got.path(tabA.channel()).path("messages").path(0).path("data").asText(), answer.body());
    assertEquals("for C", got.path(tabC.channel()).path("messages").path(0).path("data").asText(), answer.body());
    assertFalse(got.has(tabB.channel()), "a channel with nothing is left out: " + answer.body());
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void wakesOnASendThroughTheOtherRelay(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      assertEquals(202, toA.sendGet(c.url(), "hello " + kind).status());
      Event e = receiver.nextMessage();
      assertEquals("hello " + kind, e.data());
      assertEquals(1, e.seq());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void deliversRapidSendsInOrderExactlyOnce(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      for (int i = 1; i <= 15; i++) {
        toA.sendGet(c.url(), "m" + i);
      }
      for (int i = 1; i <= 15; i++) {
        Event e = receiver.nextMessage();
        assertEquals(i, e.seq());
        assertEquals("m" + i, e.data());
      }
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void queuesWhileNobodyListensAndResumesFromAnOldCursor(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    toA.sendGet(c.url(), "one");
    String afterOne = toA.poll(c, c.cursor(), 0).json().get("cursor").asText();
    toA.sendGet(c.url(), "two");
    toA.sendGet(c.url(), "three");
    try (Receiver receiver = atB(kind, c, afterOne)) {
      assertEquals("two", receiver.nextMessage().data());
      assertEquals("three", receiver.nextMessage().data());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void resumesOnTheOtherRelayAfterADropWithoutLossOrRepeat(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    String cursor;
    try (Receiver receiver = kind.open(a.base(), c, c.cursor()).awaitReady()) {
      toA.sendGet(c.url(), "before the drop");
      assertEquals("before the drop", receiver.nextMessage().data());
      cursor = receiver.cursor();
    }
    toA.sendGet(c.url(), "during the drop");
    try (Receiver again = atB(kind, c, cursor)) {
      Event e = again.nextMessage();
      assertEquals("during the drop", e.data());
      assertEquals(2, e.seq());
      toA.sendGet(c.url(), "after the drop");
      assertEquals("after the drop", again.nextMessage().data());
      again.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void clientWideAddressReachesEveryChannel(Receiver.Kind kind) throws Exception {
    Connection tab1 = toA.connect();
    Connection tab2 = toA.connect(tab1, "other");
    try (Receiver r1 = atB(kind, tab1, tab1.cursor()); Receiver r2 = kind.open(a.base(), tab2, tab2.cursor()).awaitReady()) {
      assertEquals(202, toA.sendGet(tab1.clientUrl(), "everyone").status());
      assertEquals("everyone", r1.nextMessage().data());
      assertEquals("everyone", r2.nextMessage().data());
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void reportsMissedWhenTheInboxOverflowed(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    for (int i = 1; i <= 25; i++) {
      toA.sendGet(c.url(), "m" + i);
    }
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      assertTrue(receiver.next().missed(), "first comes the missed marker");
      assertEquals(6, receiver.nextMessage().seq(), "20 kept of 25");
      List<Long> rest = new ArrayList<>();
      for (int i = 0; i < 19; i++) {
        rest.add(receiver.nextMessage().seq());
      }
      assertEquals(25L, rest.get(18));
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aTopicPublishedThroughOneRelayReachesSubscribersOfTheOther(Receiver.Kind kind) throws Exception {
    JsonNode topic = toA.post("/topics", null, null).json();
    String url = topic.get("url").asText();
    Connection c = toA.connect();
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      Answer subscribed = b.client().post("/subscribe", "application/json", subscribeBody(c, url, topic));
      assertEquals(200, subscribed.status(), subscribed.body());
      Answer published = toA.sendGet(url, "breaking news");
      assertEquals(202, published.status(), published.body());
      assertEquals(1, published.json().get("subscribers").asInt());
      assertEquals("breaking news", receiver.nextMessage().data());
      toA.sendGet(c.url(), "own message");
      toA.post(url, "text/plain", "second news");
      List<String> rest = List.of(receiver.nextMessage().data(), receiver.nextMessage().data());
      assertTrue(rest.containsAll(List.of("own message", "second news")), rest.toString());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aSendWithWaitThroughOneRelaySaysReceivedWhenTheOthersReceiverConfirms(Receiver.Kind kind) throws Exception {
    Connection c = toA.connect();
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      Answer sent = toA.get(c.url() + "?message=confirm+me&wait=5");
      assertEquals(202, sent.status(), sent.body());
      assertTrue(sent.json().get("received").asBoolean(), kind + ": " + sent.body());
      assertEquals("confirm me", receiver.nextMessage().data());
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aTopicPublishWithWaitSaysReceivedWhenTheOthersSubscriberConfirms(Receiver.Kind kind) throws Exception {
    JsonNode topic = toA.post("/topics", null, null).json();
    String url = topic.get("url").asText();
    Connection c = toA.connect();
    toA.post("/subscribe", "application/json", subscribeBody(c, url, topic));
    try (Receiver receiver = atB(kind, c, c.cursor())) {
      Answer sent = toA.get(url + "?message=news&wait=5");
      assertTrue(sent.json().get("received").asBoolean(), kind + ": " + sent.body());
      assertEquals("news", receiver.nextMessage().data());
    }
  }

  @Test
  void statusThroughOneRelaySeesAReceiverParkedAtTheOther() throws Exception {
    Connection c = toA.connect();
    String path = "/status/m/" + c.client() + "/" + c.channel();
    assertTrue(toA.get(path).json().get("online").asBoolean(), "just connected");
    CompletableFuture<Answer> poll = b.client().pollAsync(c, c.cursor(), 2);
    JsonNode during = toA.get(path).json();
    assertTrue(during.get("online").asBoolean(), during.toString());
    assertTrue(toA.get("/status/m/" + c.client()).json().get("online").asBoolean());
    assertEquals(200, poll.get(10, TimeUnit.SECONDS).status());
    JsonNode unknown = toA.get("/status/m/" + c.client() + "/never-connected").json();
    assertFalse(unknown.get("online").asBoolean());
    assertTrue(unknown.get("lastSeen").isNull());
  }

  @Test
  void anEventVariableSetThroughOneRelayAnswersWaitersAtTheOther() throws Exception {
    String name = "two-relays-" + Long.toHexString(System.nanoTime()) + "-doorbell";
    CompletableFuture<Answer> waiting = b.client().send(HttpRequest.newBuilder(URI.create(b.base() + "/ev/" + name)).build());
    Thread.sleep(300); // lets B's waiter take its lease; a waiter that comes later finds the variable set anyway
    Answer set = toA.post("/ev/" + name, null, null);
    assertEquals(200, set.status(), set.body());
    Answer woken = waiting.get(10, TimeUnit.SECONDS);
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", woken.body());
    assertEquals("{\"name\":\"" + name + "\",\"set\":true}", b.client().get("/ev/" + name + "?timeout=0").body());
    assertEquals(0, toA.post("/ev/" + name, null, null).json().get("woken").asInt());
  }

  @Test
  void aRetryWithTheSameMidThroughTheOtherRelayIsStoredOnce() throws Exception {
    Connection c = toA.connect();
    Answer first = toA.get(c.url() + "?message=once&mid=retry-across");
    String atB = b.base() + c.url().substring(c.url().indexOf("/m/"));
    Answer retry = b.client().get(atB + "?message=once&mid=retry-across");
    assertEquals(202, retry.status(), retry.body());
    assertEquals(first.json().get("seq"), retry.json().get("seq"));
    assertTrue(retry.json().get("dup").asBoolean(), retry.body());
    JsonNode wide = toA.get(c.clientUrl() + "?message=all&mid=wide-across").json();
    JsonNode wideAgain = b.client().get(b.base() + c.clientUrl().substring(c.clientUrl().indexOf("/m/"))
        + "?message=all&mid=wide-across").json();
    assertTrue(wideAgain.get("dup").asBoolean(), wideAgain.toString());
    assertEquals(wide.get("channels").get(0).get("seq"), wideAgain.get("channels").get(0).get("seq"));
    JsonNode read = b.client().poll(c, c.cursor(), 0).json();
    assertEquals(2, read.get("messages").size(), "each stored once: " + read);
  }

  @Test
  void healthSaysTheStoreIsUp() {
    Answer health = b.client().get("/health");
    assertEquals(200, health.status(), health.body());
    assertFalse(health.json().has("store"), health.body());
  }

  private static String subscribeBody(Connection c, String url, JsonNode topic) {
    return "{\"client\":\"" + c.client() + "\",\"key\":\"" + c.key() + "\",\"channel\":\"" + c.channel()
        + "\",\"topic\":\"" + url + "\",\"subscribeKey\":\"" + topic.get("subscribeKey").asText() + "\"}";
  }
}
