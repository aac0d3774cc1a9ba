package dev.addressable.relay.feed;

import static dev.addressable.relay.http.ConnectTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient.Answer;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Delivery receipts: {@code wait=} on a send, confirmed by each transport's own means. */
@Timeout(60)
class ReceiptTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension();

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aSendWithWaitSaysReceivedOnceTheReceiverConfirms(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      Answer sent = relay.http().get(c.url() + "?message=confirm+me&wait=5");
      assertEquals(202, sent.status(), sent.body());
      assertTrue(sent.json().get("received").asBoolean(), kind + ": " + sent.body());
      assertEquals("confirm me", receiver.nextMessage().data());
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void aTopicPublishWithWaitSaysReceivedWhenASubscriberConfirms(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    var created = relay.http().post("/topics", null, null).json();
    String url = created.get("url").asText();
    relay.http().post("/subscribe", "application/json", "{\"client\":\"" + c.client() + "\",\"key\":\"" + c.key()
        + "\",\"channel\":\"" + c.channel() + "\",\"topic\":\"" + url + "\",\"subscribeKey\":\""
        + created.get("subscribeKey").asText() + "\"}");
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      Answer sent = relay.http().get(url + "?message=news&wait=5");
      assertTrue(sent.json().get("received").asBoolean(), kind + ": " + sent.body());
      assertEquals("news", receiver.nextMessage().data());
    }
  }

  @Test
  void saysNotReceivedWhenNobodyReadsInTime() {
    Connection c = relay.http().connect();
    long start = System.nanoTime();
    Answer sent = relay.http().get(c.url() + "?message=into+the+void&wait=1");
    assertEquals(202, sent.status());
    assertFalse(sent.json().get("received").asBoolean());
    assertTrue(System.nanoTime() - start >= 900_000_000L, "it waited for the receipt");
  }

  @Test
  void clientWideSendIsReceivedWhenAnyTabConfirms() throws Exception {
    Connection tab1 = relay.http().connect();
    relay.http().connect(tab1, "idle-tab");
    try (Receiver receiver = Receiver.Kind.LONG_POLL.open(relay.base(), tab1, tab1.cursor()).awaitReady()) {
      Answer sent = relay.http().get(tab1.clientUrl() + "?message=anyone&wait=5");
      assertTrue(sent.json().get("received").asBoolean(), sent.body());
      assertEquals("anyone", receiver.nextMessage().data());
    }
  }

  @Test
  void withoutWaitTheAnswerSaysNothingAboutReceipt() {
    Connection c = relay.http().connect();
    Answer sent = relay.http().sendGet(c.url(), "fire and forget");
    assertFalse(sent.json().has("received"));
    assertError(relay.http().get(c.url() + "?message=x&wait=11"), 400, "bad_wait");
    assertError(relay.http().get(c.url() + "?message=x&wait=soon"), 400, "bad_wait");
  }
}
