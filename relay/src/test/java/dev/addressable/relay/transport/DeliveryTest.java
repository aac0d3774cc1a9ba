package dev.addressable.relay.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.testing.Receiver.Event;
import dev.addressable.relay.testing.Receiver;
import dev.addressable.relay.testing.RelayClient.Connection;
import dev.addressable.relay.testing.RelayClient;
import dev.addressable.relay.testing.RelayExtension;
import dev.addressable.relay.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every delivery scenario, run against every transport. */
@Timeout(60)
class DeliveryTest {

  @RegisterExtension
  static final RelayExtension relay = new RelayExtension(c -> c.withInbox(c.inbox().withMaxMessages(20)));

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void wakesOnASendFromAnotherConnection(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      assertEquals(202, relay.http().sendGet(c.url(), "hello " + kind).status());
      Event e = receiver.nextMessage();
      assertEquals("hello " + kind, e.data());
      assertEquals(1, e.seq());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void deliversRapidSendsInOrderExactlyOnce(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      for (int i = 1; i <= 15; i++) {
        relay.http().sendGet(c.url(), "m" + i);
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
    Connection c = relay.http().connect();
    relay.http().sendGet(c.url(), "one");
    String afterOne = relay.http().poll(c, c.cursor(), 0).json().get("cursor").asText();
    relay.http().sendGet(c.url(), "two");
    relay.http().sendGet(c.url(), "three");
    try (Receiver receiver = kind.open(relay.base(), c, afterOne).awaitReady()) {
      assertEquals("two", receiver.nextMessage().data());
      assertEquals("three", receiver.nextMessage().data());
      receiver.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void resumesAfterADropWithoutLossOrRepeat(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    String cursor;
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      relay.http().sendGet(c.url(), "before the drop");
      assertEquals("before the drop", receiver.nextMessage().data());
      cursor = receiver.cursor();
    }
    relay.http().sendGet(c.url(), "during the drop");
    try (Receiver again = kind.open(relay.base(), c, cursor).awaitReady()) {
      Event e = again.nextMessage();
      assertEquals("during the drop", e.data());
      assertEquals(2, e.seq());
      relay.http().sendGet(c.url(), "after the drop");
      assertEquals("after the drop", again.nextMessage().data());
      again.assertQuiet(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void clientWideAddressReachesEveryChannel(Receiver.Kind kind) throws Exception {
    Connection tab1 = relay.http().connect();
    Connection tab2 = relay.http().connect(tab1, "other");
    try (Receiver r1 = kind.open(relay.base(), tab1, tab1.cursor()).awaitReady();
         Receiver r2 = kind.open(relay.base(), tab2, tab2.cursor()).awaitReady()) {
      assertEquals(202, relay.http().sendGet(tab1.clientUrl(), "everyone").status());
      assertEquals("everyone", r1.nextMessage().data());
      assertEquals("everyone", r2.nextMessage().data());
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void reportsMissedWhenTheInboxOverflowed(Receiver.Kind kind) throws Exception {
    Connection c = relay.http().connect();
    for (int i = 1; i <= 25; i++) {
      relay.http().sendGet(c.url(), "m" + i);
    }
    try (Receiver receiver = kind.open(relay.base(), c, c.cursor()).awaitReady()) {
      Event missed = receiver.next();
      assertTrue(missed.missed(), "first comes the missed marker, got " + missed);
      Event first = receiver.nextMessage();
      assertEquals(6, first.seq(), "20 kept of 25");
      List<Long> rest = new ArrayList<>();
      for (int i = 0; i < 19; i++) {
        rest.add(receiver.nextMessage().seq());
      }
      assertEquals(25L, rest.get(18));
    }
  }

  @ParameterizedTest
  @EnumSource(Receiver.Kind.class)
  void staleCursorAfterARestartIsAnsweredMissed(Receiver.Kind kind) throws Exception {
    Path dir = Files.createTempDirectory("addressable-restart");
    Connection c;
    try (TestRelay first = TestRelay.start(dir, x -> x)) {
      c = first.client().connect();
      first.client().sendGet(c.url(), "lost with the restart");
    }
    try (TestRelay second = TestRelay.start(dir, x -> x);
         Receiver receiver = kind.open(second.base(), c, c.cursor()).awaitReady()) {
      Event missed = receiver.next();
      assertTrue(missed.missed(), "got " + missed);
      assertFalse(missed.cursor().startsWith(c.cursor().split("\\.")[0]), "a cursor of the new epoch");
      String address = second.base() + "/m/" + c.client() + "/" + c.channel();
      assertEquals(202, second.client().sendGet(address, "after the restart").status());
      Event e = receiver.nextMessage();
      assertEquals("after the restart", e.data());
      assertEquals(1, e.seq());
    }
  }
}
