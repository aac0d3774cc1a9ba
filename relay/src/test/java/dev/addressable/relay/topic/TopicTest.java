package dev.addressable.relay.topic;

import static dev.addressable.relay.http.ConnectTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Topics over real HTTP: create, subscribe, publish, resume, fan-out. */
@Timeout(120)
class TopicTest {

  private static final int FANOUT = 10_000;
  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> {
    InboxConfig i = c.inbox();
    return c.withInbox(new InboxConfig(i.maxMessages(), i.maxBytes(), i.maxAge(), i.idleExpiry(),
        i.maxMessageBytes(), i.maxChannels(), FANOUT));
  });

  /** What POST /topics handed out. */
  record Created(String id, String url, String subscribeKey) {}

  private Created create() {
    Answer a = relay.http().post("/topics", null, null);
    assertEquals(201, a.status(), a.body());
    JsonNode j = a.json();
    return new Created(j.get("topic").asText(), j.get("url").asText(), j.get("subscribeKey").asText());
  }

  private Answer subscribe(Connection c, Created t, String subscribeKey) {
    return relay.http().post("/subscribe", "application/json", "{\"client\":\"" + c.client() + "\",\"key\":\"" + c.key()
        + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + t.url() + "\",\"subscribeKey\":\"" + subscribeKey + "\"}");
  }

  @Test
  void createAnswersAnUnguessablePublishUrlAndASeparateSubscribeKey() {
    Created t = create();
    assertEquals(32, t.id().length());
    assertTrue(t.url().startsWith(relay.base() + "/t/"), t.url());
    assertFalse(t.url().contains(t.id()), "the publish URL is not the id subscribers see");
    assertEquals(43, t.subscribeKey().length());
    assertFalse(t.url().contains(t.subscribeKey()));
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aBurstOfPublishesReachesASubscriberWholeAndInOrder(Receiver.Kind kind) throws Exception {
    Created t = create();
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      assertEquals(200, subscribe(c, t, t.subscribeKey()).status());
      List<java.util.concurrent.CompletableFuture<Answer>> sent = new java.util.ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        sent.add(relay.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(t.url() + "?message=n" + i))
            .build()));
      }
      sent.forEach(answer -> assertEquals(202, answer.join().status()));
      for (int seq = 1; seq <= 200; seq++) {
        assertEquals(seq, receiver.nextMessage().seq());
      }
      receiver.assertQuiet(100);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void whatSubscribersSeeDoesNotLetThemPublish(Receiver.Kind kind) throws Exception {
    Created t = create();
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      assertEquals(200, subscribe(c, t, t.subscribeKey()).status());
      relay.http().sendGet(t.url(), "from the owner");
      Receiver.Event e = receiver.nextMessage();
      assertEquals(t.id(), e.topic(), "messages name the topic by its id");
      for (String attempt : new String[] {"/t/" + e.topic(), "/t/" + t.subscribeKey().substring(0, 32)}) {
        Answer forged = relay.http().sendGet(relay.base() + attempt, "not the owner");
        assertTrue(forged.status() == 403 || forged.status() == 404, attempt + " answered " + forged.body());
      }
      Answer withId = relay.http().sendGet(relay.base() + "/t/" + t.id(), "not the owner");
      assertEquals(403, withId.status());
      assertEquals("not_a_publish_url", withId.json().get("error").asText());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aPublishReachesSubscribersOnTheConnectionTheyHave(Receiver.Kind kind) throws Exception {
    Created t = create();
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      assertEquals(200, subscribe(c, t, t.subscribeKey()).status());
      Answer published = relay.http().sendGet(t.url(), "breaking news");
      assertEquals(202, published.status(), published.body());
      assertEquals(1, published.json().get("subscribers").asInt());
      assertEquals(1, published.json().get("seq").asLong());
      Receiver.Event e = receiver.nextMessage();
      assertEquals("breaking news", e.data());
      assertEquals(1, e.seq());
      relay.http().sendGet(c.url(), "own message");
      relay.http().post(t.url(), "text/plain", "second news");
      List<String> rest = List.of(receiver.nextMessage().data(), receiver.nextMessage().data());
      assertTrue(rest.containsAll(List.of("own message", "second news")), rest.toString());
      receiver.assertQuiet(200);
    }
  }

  @Test
  void publishingAndSubscribingAreSeparateRights() {
    Created t = create();
    Connection c = relay.http().connect();
    assertError(subscribe(c, t, "not-the-key"), 403, "wrong_key");
    assertError(subscribe(c, new Created("x".repeat(32), relay.base() + "/t/" + "x".repeat(32), t.subscribeKey()),
        t.subscribeKey()), 404, "unknown_address");
    assertError(relay.http().sendGet(relay.base() + "/t/" + "A".repeat(32), "forged"), 404, "unknown_address");
    assertError(relay.http().get(t.url()), 400, "missing_message");
  }

  @Test
  void unsubscribedChannelsGetNoMoreTopicMessages() {
    Created t = create();
    Connection c = relay.http().connect();
    subscribe(c, t, t.subscribeKey());
    Answer off = relay.http().post("/unsubscribe", "application/json", "{\"client\":\"" + c.client() + "\",\"key\":\""
        + c.key() + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + t.id() + "\"}");
    assertEquals(200, off.status(), off.body());
    assertEquals(0, relay.http().sendGet(t.url(), "nobody").json().get("subscribers").asInt());
    assertEquals(0, relay.http().poll(c, c.cursor(), 0).json().get("messages").size());
  }

  @Test
  void aLateSubscriberResumingFromItsCursorGetsWhatItMissedWithinTheBuffer() {
    Created t = create();
    Connection c = relay.http().connect();
    subscribe(c, t, t.subscribeKey());
    JsonNode first = relay.http().poll(c, c.cursor(), 0).json();
    String cursor = first.get("cursor").asText();
    relay.http().sendGet(t.url(), "while you were away 1");
    relay.http().sendGet(t.url(), "while you were away 2");
    JsonNode later = relay.http().poll(c, cursor, 0).json();
    assertEquals(2, later.get("messages").size());
    assertEquals(t.id(), later.get("messages").get(0).get("topic").asText());
    assertEquals("while you were away 2", later.get("messages").get(1).get("data").asText());
    assertTrue(later.get("cursor").asText().contains("~" + t.id() + "."), later.get("cursor").asText());
  }

  @Test
  void aPublishToTenThousandSubscribedChannelsReachesEveryOneExactlyOnce() {
    Created t = create();
    Connection first = relay.http().connect();
    List<Connection> tabs = new ArrayList<>(FANOUT);
    tabs.add(first);
    for (int batch = 1; batch < FANOUT; batch += 250) {
      List<CompletableFuture<Connection>> pending = new ArrayList<>();
      for (int i = batch; i < Math.min(FANOUT, batch + 250); i++) {
        pending.add(relay.http().connectAsync(first, "tab" + i));
      }
      pending.forEach(p -> tabs.add(p.join()));
    }
    forEachInBatches(tabs, c -> relay.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(relay.base() + "/subscribe"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"client\":\"" + c.client() + "\",\"key\":\"" + c.key()
            + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + t.id() + "\",\"subscribeKey\":\"" + t.subscribeKey() + "\"}"))
        .build()).thenAccept(a -> assertEquals(200, a.status(), a.body())));

    Answer published = relay.http().sendGet(t.url(), "to ten thousand");
    assertEquals(FANOUT, published.json().get("subscribers").asInt());
    forEachInBatches(tabs, c -> relay.http().pollAsync(c, c.cursor(), 0).thenAccept(a -> {
      JsonNode messages = a.json().get("messages");
      assertEquals(1, messages.size(), a.body());
      assertEquals("to ten thousand", messages.get(0).get("data").asText());
    }));
  }

  private static void forEachInBatches(List<Connection> tabs, java.util.function.Function<Connection, CompletableFuture<?>> call) {
    for (int from = 0; from < tabs.size(); from += 250) {
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (Connection c : tabs.subList(from, Math.min(tabs.size(), from + 250))) {
        pending.add(call.apply(c));
      }
      pending.forEach(CompletableFuture::join);
    }
  }
}
