package dev.addressable.relay.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboxTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final AtomicInteger expired = new AtomicInteger();
  private final AtomicInteger evicted = new AtomicInteger();
  private final List<String> droppedUnread = new java.util.ArrayList<>();
  private final InboxEvents events = new InboxEvents() {
    @Override public void expired(int count) { expired.addAndGet(count); }
    @Override public void evicted(int count) { evicted.addAndGet(count); }
    @Override public void droppedUnread(Message m, String reason) { droppedUnread.add(m.data() + ":" + reason); }
  };

  private Inbox inbox(int maxMessages, long maxBytes, int maxAgeSeconds) {
    InboxConfig d = RelayConfig.defaults().inbox();
    return new Inbox(new InboxConfig(maxMessages, maxBytes, Duration.ofSeconds(maxAgeSeconds),
        d.idleExpiry(), d.maxMessageBytes(), d.maxChannels(), d.maxChannelsPerClient()), now::get, events);
  }

  private static List<String> data(ReadResult r) {
    return r.messages().stream().map(Message::data).toList();
  }

  @Test
  void readsInOrderAfterTheCursorWithoutRemoving() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    Cursor start = inbox.end();
    for (int i = 1; i <= 5; i++) {
      assertEquals(i, inbox.append("m" + i, 0));
    }
    ReadResult all = inbox.read(start);
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), data(all));
    assertEquals(5, all.cursor().seq());
    assertFalse(all.missed());
    assertEquals(List.of("m4", "m5"), data(inbox.read(new Cursor(inbox.epoch(), 3))));
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), data(inbox.read(start)), "reading removed messages");
    assertTrue(inbox.read(all.cursor()).messages().isEmpty());
  }

  @Test
  void dropsOldestWhenFullAndMarksTheGapAsMissed() {
    Inbox inbox = inbox(3, 1 << 20, 120);
    Cursor start = inbox.end();
    for (int i = 1; i <= 5; i++) {
      inbox.append("m" + i, 0);
    }
    ReadResult r = inbox.read(start);
    assertEquals(List.of("m3", "m4", "m5"), data(r));
    assertTrue(r.missed());
    assertEquals(2, evicted.get());
    assertFalse(inbox.read(new Cursor(inbox.epoch(), 2)).missed(), "a reader that saw m2 lost nothing");
  }

  @Test
  void boundsByBytes() {
    Inbox inbox = inbox(100, 60, 120); // each is 28 bytes stored: ,"data":"aaaa","ts":1000000}
    Cursor start = inbox.end();
    inbox.append("aaaa", 0);
    inbox.append("bbbb", 0);
    inbox.append("cccc", 0);
    ReadResult r = inbox.read(start);
    assertEquals(List.of("bbbb", "cccc"), data(r));
    assertTrue(r.missed());
  }

  @Test
  void expiresByAgeAndByTtl() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    Cursor start = inbox.end();
    inbox.append("short", 1_000);
    inbox.append("long", 0);
    now.addAndGet(1_500);
    ReadResult r = inbox.read(start);
    assertEquals(List.of("long"), data(r));
    assertTrue(r.missed(), "the ttl-expired message is reported as missed");
    assertEquals(1, expired.get());
    now.addAndGet(120_000);
    ReadResult later = inbox.read(start);
    assertTrue(later.messages().isEmpty());
    assertEquals(2, later.cursor().seq());
  }

  @Test
  void expiredMessageBehindANewerOneIsSkippedAndMissed() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    Cursor start = inbox.end();
    inbox.append("keep", 0);
    inbox.append("brief", 1_000);
    inbox.append("also", 0);
    now.addAndGet(2_000);
    ReadResult r = inbox.read(start);
    assertEquals(List.of("keep", "also"), data(r));
    assertTrue(r.missed());
    assertFalse(inbox.read(new Cursor(inbox.epoch(), 2)).missed(), "after the expired one nothing is lost");
  }

  @Test
  void cursorOfAnotherEpochReadsEverythingAsMissed() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    inbox.append("new", 0);
    ReadResult r = inbox.read(new Cursor("oldEpoch123", 42));
    assertTrue(r.missed());
    assertEquals(List.of("new"), data(r));
    assertEquals(inbox.epoch(), r.cursor().epoch());
  }

  @Test
  void emptyInboxWithStaleCursorStillAnswersMissedAtOnce() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    ReadResult r = inbox.read(new Cursor("oldEpoch123", 7));
    assertTrue(r.missed());
    assertTrue(r.isWorthAnswering());
    assertEquals(new Cursor(inbox.epoch(), 0), r.cursor());
  }

  @Test
  void reportsOnlyMessagesDroppedBeforeAnyoneReadThem() {
    Inbox inbox = inbox(2, 1 << 20, 120);
    Cursor start = inbox.end();
    inbox.append("read", 0);
    inbox.read(start);
    inbox.append("unread", 0);
    inbox.append("pushes out read", 0);
    inbox.append("pushes out unread", 0);
    assertEquals(List.of("unread:overflow"), droppedUnread);
    Inbox other = inbox(10, 1 << 20, 120);
    other.append("brief", 1_000);
    now.addAndGet(2_000);
    other.expire();
    assertEquals(List.of("unread:overflow", "brief:expired"), droppedUnread);
  }

  @Test
  void messageJsonIsEscaped() {
    Inbox inbox = inbox(10, 1 << 20, 120);
    Cursor start = inbox.end();
    inbox.append("say \"hi\"\n\u2028", 0);
    Message m = inbox.read(start).messages().get(0);
    assertEquals("{\"seq\":1,\"data\":\"say \\\"hi\\\"\\n\\u2028\",\"ts\":" + m.ts() + "}", m.json());
    assertEquals("say \"hi\"\n\u2028", m.data(), "the text comes back from its stored encoding");
    assertEquals(m.json(), m.appendJson(new StringBuilder()).toString());
  }

  @Test
  void oneBodyIsSharedByInboxesEachWithItsOwnSequenceNumber() {
    Inbox a = inbox(10, 1 << 20, 120);
    Inbox b = inbox(10, 1 << 20, 120);
    Cursor fromA = a.end();
    b.append("b's own", 0);
    Cursor fromB = b.end();
    Message.Body body = a.body("for both", 5_000);
    assertEquals(1, a.append(body));
    assertEquals(2, b.append(body));
    Message inA = a.read(fromA).messages().get(0);
    Message inB = b.read(fromB).messages().get(0);
    assertEquals("{\"seq\":1,\"data\":\"for both\",\"ts\":1000000}", inA.json());
    assertEquals("{\"seq\":2,\"data\":\"for both\",\"ts\":1000000}", inB.json());
    assertEquals(1_005_000, inB.expiresAt(), "the sender's ttl, kept in the body");
    now.addAndGet(5_000);
    ReadResult afterTtl = b.read(fromB);
    assertEquals(List.of(), data(afterTtl));
    assertTrue(afterTtl.missed());
  }

  @Test
  void theNewestMessageStaysEvenWhenItAlonePassesTheByteLimit() {
    Inbox inbox = inbox(100, 40, 120);
    Cursor start = inbox.end();
    inbox.append("small", 0);
    inbox.append("a message longer than the whole byte limit of this inbox", 0);
    ReadResult r = inbox.read(start);
    assertEquals(List.of("a message longer than the whole byte limit of this inbox"), data(r));
    assertTrue(r.missed());
    assertTrue(inbox.storedBytes() > 40);
  }

  @Test
  void closingDropsEverythingAndReportsWhatNobodyRead() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    Cursor start = inbox.end();
    inbox.append("read", 0);
    inbox.read(start);
    inbox.append("unread", 0);
    inbox.close();
    assertEquals(List.of("unread:expired"), droppedUnread);
    assertEquals(0, inbox.storedBytes());
    inbox.append("after the close", 0);
    assertEquals(List.of("unread:expired", "after the close:expired"), droppedUnread, "never lost silently");
    assertTrue(inbox.read(start).messages().isEmpty());
  }

  @Test
  void aCursorPastTheNewestMessageIsAhead() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    inbox.append("one", 0);
    assertFalse(inbox.isAhead(new Cursor(inbox.epoch(), 1)));
    assertTrue(inbox.isAhead(new Cursor(inbox.epoch(), 2)));
    assertFalse(inbox.isAhead(new Cursor("otherEpoch1", 99)), "another epoch is missed, not ahead");
  }

  @Test
  void cursorAheadOfThisInboxIsRefused() {
    Inbox inbox = inbox(100, 1 << 20, 120);
    inbox.append("one", 0);
    assertThrows(IllegalArgumentException.class, () -> inbox.read(new Cursor(inbox.epoch(), 9)));
  }

  @Test
  void capsOneAnswerAndTheRestFollowsFromTheNewCursor() {
    Inbox inbox = inbox(2000, 1 << 24, 120);
    Cursor start = inbox.end();
    for (int i = 0; i < Inbox.MAX_MESSAGES_PER_READ + 10; i++) {
      inbox.append("x", 0);
    }
    ReadResult first = inbox.read(start);
    assertEquals(Inbox.MAX_MESSAGES_PER_READ, first.messages().size());
    ReadResult rest = inbox.read(first.cursor());
    assertEquals(10, rest.messages().size());
    assertEquals(Inbox.MAX_MESSAGES_PER_READ + 1, rest.messages().get(0).seq());
  }

}
