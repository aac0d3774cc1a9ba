package dev.addressable.relay.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.RelayEvents;
import dev.addressable.relay.inbox.Inbox;
import dev.addressable.relay.inbox.InboxEvents;
import dev.addressable.relay.inbox.Message;
import dev.addressable.relay.memory.MemoryBudget;
import dev.addressable.relay.parking.Parked;
import dev.addressable.relay.parking.Parker;
import dev.addressable.relay.secret.KeyRing;
import dev.addressable.relay.topic.Topic;
import dev.addressable.relay.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FeedTest {

  private static final byte[] SECRET = new byte[32];
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Parker parker = new Parker(100);
  private final InboxConfig config = RelayConfig.defaults().inbox();
  private final Topics topics = topics(SECRET);

  @AfterEach
  void stop() {
    parker.close();
  }

  private Topics topics(byte[] secret) {
    return new Topics(new KeyRing(secret), config, parker, Runnable::run, now::get, RelayEvents.NONE,
        MemoryBudget.unlimited(), Duration.ofHours(1), 100);
  }

  private Topics.Published publish(Topic topic, String text) {
    return topics.publish(topic, topic.log().body(text, 0));
  }

  private Feed feed() {
    return new Feed(new Inbox(config, now::get, InboxEvents.NONE), parker);
  }

  private static List<String> data(Batch b) {
    return b.messages().stream().map(m -> (m.topic() == null ? "" : "t:") + m.data()).toList();
  }

  @Test
  void wakeAnswersEveryParkedReaderOnceWithWhatIsNew() {
    Feed feed = feed();
    FeedCursor start = feed.end();
    Parked<Batch> a = parker.park(Duration.ofSeconds(30), () -> null, feed::unpark);
    Parked<Batch> b = parker.park(Duration.ofSeconds(30), () -> null, feed::unpark);
    assertNull(feed.readOrPark(start, a, 10));
    assertNull(feed.readOrPark(start, b, 10));
    assertEquals(2, feed.waiterCount());
    assertTrue(feed.isWaiting());
    feed.inbox().append("hi", 0);
    assertEquals(2, feed.wake());
    assertEquals(List.of("hi"), data(a.future().join()));
    assertEquals(List.of("hi"), data(b.future().join()));
    assertEquals(0, feed.waiterCount());
    assertFalse(feed.isWaiting());
    assertEquals(0, feed.wake());
  }

  @Test
  void readOrParkAnswersAtOnceWhenSomethingIsThereAndLeavesNoWaiter() {
    Feed feed = feed();
    FeedCursor start = feed.end();
    feed.inbox().append("ready", 0);
    Parked<Batch> p = parker.park(Duration.ofSeconds(30), () -> null, feed::unpark);
    assertEquals(List.of("ready"), data(feed.readOrPark(start, p, 10)));
    assertEquals(0, feed.waiterCount());
    assertTrue(p.isFinished());
  }

  @Test
  void refusesMoreWaitersThanTheLimit() {
    Feed feed = feed();
    feed.readOrPark(feed.end(), parker.park(Duration.ofSeconds(30), () -> null, feed::unpark), 1);
    assertThrows(TooManyWaitersException.class,
        () -> feed.readOrPark(feed.end(), parker.park(Duration.ofSeconds(30), () -> null, feed::unpark), 1));
  }

  @Test
  void readsOwnMessagesAndFollowedTopicsWithOneCursor() {
    Feed feed = feed();
    Topic news = topics.create().topic();
    Topic sport = topics.create().topic();
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
    Topic topic = topics.create().topic();
    feed.subscribe(topic, 8);
    FeedCursor seen = feed.end();
    publish(topic, "while away 1");
    publish(topic, "while away 2");
    assertEquals(List.of("t:while away 1", "t:while away 2"), data(feed.read(seen)));
  }

  @Test
  void topicPublishWakesSubscribedReaders() throws Exception {
    Feed feed = feed();
    Topic topic = topics.create().topic();
    feed.subscribe(topic, 8);
    Parked<Batch> p = parker.park(Duration.ofSeconds(30), () -> null, feed::unpark);
    assertNull(feed.readOrPark(feed.end(), p, 10));
    Topics.Published published = publish(topic, "to all");
    assertEquals(1, published.subscribers());
    assertEquals(1, published.listening());
    Message m = p.future().get(5, TimeUnit.SECONDS).messages().get(0);
    assertEquals(topic.id(), m.topic());
    assertTrue(m.json().endsWith(",\"topic\":\"" + topic.id() + "\"}"), m.json());
  }

  @Test
  void unsubscribedTopicsAreNoLongerRead() {
    Feed feed = feed();
    Topic topic = topics.create().topic();
    feed.subscribe(topic, 8);
    FeedCursor start = feed.end();
    assertTrue(feed.unsubscribe(topic.id()));
    publish(topic, "gone");
    assertTrue(feed.read(start).messages().isEmpty());
    assertTrue(topic.subscribers().isEmpty());
  }

  @Test
  void followsAtMostTheTopicLimit() {
    Feed feed = feed();
    feed.subscribe(topics.create().topic(), 1);
    assertThrows(TooManyTopicsException.class, () -> feed.subscribe(topics.create().topic(), 1));
  }

  @Test
  void confirmationAnswersReceiptsUpToTheCursor() throws Exception {
    Feed feed = feed();
    FeedCursor start = feed.end();
    long one = feed.inbox().append("one", 0);
    long two = feed.inbox().append("two", 0);
    var first = feed.awaitReceipt(one, Duration.ofSeconds(5));
    var second = feed.awaitReceipt(two, Duration.ofSeconds(5));
    FeedCursor afterOne = feed.read(start).cursorsAfterEach()[0];
    feed.confirm(afterOne);
    assertTrue(first.get(1, TimeUnit.SECONDS));
    assertFalse(second.isDone());
    assertFalse(feed.awaitReceipt(two, Duration.ofMillis(50)).get(1, TimeUnit.SECONDS), "nobody read it in time");
  }

  @Test
  void aTopicsIdNamesItWithoutTheRightToPublish() {
    Topics.Created created = topics.create();
    String id = created.topic().id();
    String token = created.publishToken();
    assertTrue(topics.isPublishToken(token));
    assertTrue(topics.isId(id));
    assertEquals(id, topics.idOf(token), "the id follows from the publish token");
    assertFalse(topics.isPublishToken(id), "subscribers see the id in every message: it must not publish");
    assertFalse(topics.isId(token));
    assertTrue(topics.verifySubscribeKey(id, created.subscribeKey()));
    assertFalse(topics.verifySubscribeKey(id, topics.subscribeKey(topics.create().topic().id())));
    assertEquals(32, token.length());
    assertEquals(32, id.length());
  }

  @Test
  void capabilitiesAreGenuineOnlyWhenMadeWithTheSecret() {
    String token = topics.create().publishToken();
    String forged = token.substring(0, 30) + (token.charAt(30) == 'A' ? 'B' : 'A') + token.charAt(31);
    assertFalse(topics.isPublishToken(forged));
    assertFalse(topics.isPublishToken("tooShort"));
    byte[] other = new byte[32];
    other[0] = 1;
    assertFalse(topics(other).isPublishToken(token), "another secret, another relay");
    assertFalse(topics(other).isId(topics.idOf(token)));
  }
}
