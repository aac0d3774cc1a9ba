package dev.addressable.relay.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.InboxEvents;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.TopicKeys;
import dev.addressable.relay.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A channel's feed as the memory store keeps it: its inbox and its topics, read with one cursor. */
@Timeout(10)
class FeedTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final InboxConfig config = RelayConfig.defaults().inbox();
  private final TopicKeys keys = new TopicKeys(new KeyRing(new byte[32]));
  private final Topics topics =
      new Topics(config, now::get, RelayEvents.NONE, MemoryBudget.unlimited(), Duration.ofHours(1), 100);

  private Topic topic() {
    return topics.get(keys.create().id());
  }

  private Topics.Published publish(Topic topic, String text) {
    return topics.publish(topic, topic.log().body(text, 0));
  }

  private Feed feed() {
    return new Feed(new Inbox(config, now::get, InboxEvents.NONE));
  }

  private static List<String> data(Batch b) {
    return b.messages().stream().map(m -> (m.topic() == null ? "" : "t:") + m.data()).toList();
  }

  @Test
  void readsOwnMessagesAndFollowedTopicsWithOneCursor() {
    Feed feed = feed();
    Topic news = topic();
    Topic sport = topic();
    feed.inbox().append("before", 0);
    FeedCursor start = feed.end();
    assertTrue(feed.subscribe(news, 8));
    assertTrue(feed.subscribe(sport, 8));
    assertFalse(feed.subscribe(news, 8), "following twice changes nothing");
    publish(news, "n1");
    now.incrementAndGet();
    feed.inbox().append("own", 0);
    now.incrementAndGet();
    publish(sport, "s1");
    now.incrementAndGet();
    publish(news, "n2");
    Batch batch = feed.read(start);
    assertEquals(List.of("t:n1", "own", "t:s1", "t:n2"), data(batch));
    FeedCursor after = FeedCursor.parse(batch.cursor().toString());
    assertEquals(batch.cursor(), after, "the composite cursor round-trips");
    assertEquals(2, after.topics().size());
    assertTrue(feed.read(after).messages().isEmpty());

    FeedCursor[] each = batch.cursorsAfterEach();
    assertEquals(List.of("own", "t:s1", "t:n2"), data(feed.read(each[0])));
    assertEquals(List.of("t:n2"), data(feed.read(each[2])));
    assertEquals(data(batch), data(feed.read(batch.cursorBefore())));
  }

  @Test
  void aLateReaderGetsTopicMessagesFromItsOldCursor() {
    Feed feed = feed();
    Topic topic = topic();
    feed.subscribe(topic, 8);
    FeedCursor seen = feed.end();
    publish(topic, "while away 1");
    publish(topic, "while away 2");
    assertEquals(List.of("t:while away 1", "t:while away 2"), data(feed.read(seen)));
  }

  @Test
  void unsubscribedTopicsAreNoLongerRead() {
    Feed feed = feed();
    Topic topic = topic();
    feed.subscribe(topic, 8);
    assertEquals(1, topic.subscribers());
    FeedCursor start = feed.end();
    assertTrue(feed.unsubscribe(topic.id()));
    publish(topic, "gone");
    assertTrue(feed.read(start).messages().isEmpty());
    assertEquals(0, topic.subscribers());
  }

  @Test
  void followsAtMostTheTopicLimit() {
    Feed feed = feed();
    feed.subscribe(topic(), 1);
    assertThrows(TooManyTopicsException.class, () -> feed.subscribe(topic(), 1));
  }

  @Test
  void confirmationRaisesWhatIsConfirmedUpToTheCursorOnly() {
    Feed feed = feed();
    Topic topic = topic();
    feed.subscribe(topic, 8);
    FeedCursor start = feed.end();
    feed.inbox().append("one", 0);
    feed.inbox().append("two", 0);
    now.incrementAndGet();
    publish(topic, "news");
    FeedCursor afterOne = feed.read(start).cursorsAfterEach()[0];
    List<Topic> raised = new java.util.ArrayList<>();
    assertTrue(feed.confirm(afterOne, raised::add));
    assertEquals(1, feed.confirmed().seq());
    assertTrue(raised.isEmpty(), "the cursor after one does not cover the topic's message");
    assertFalse(feed.confirm(afterOne, raised::add), "confirming again raises nothing");
    FeedCursor afterAll = feed.read(start).cursor();
    assertTrue(feed.confirm(afterAll, raised::add));
    assertEquals(List.of(topic), raised);
    assertEquals(2, feed.confirmed().seq());
    assertEquals(1, topic.confirmed().seq());
  }

  @Test
  void aCursorAheadOfALogWasNotHandedOut() {
    Feed feed = feed();
    FeedCursor end = feed.end();
    FeedCursor ahead = end.withOwn(new dev.addressable.relay.inbox.Cursor(end.own().epoch(), 5));
    assertThrows(IllegalArgumentException.class, () -> feed.checkHandedOut(ahead));
    assertThrows(IllegalArgumentException.class, () -> feed.read(ahead));
    feed.checkHandedOut(end);
  }
}
