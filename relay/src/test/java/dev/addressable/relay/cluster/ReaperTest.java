package dev.addressable.relay.cluster;

import static dev.addressable.relay.store.Outcomes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.EventConfig;
import dev.addressable.relay.config.InboxConfig;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.config.TopicConfig;
import dev.addressable.relay.event.EventOutlet;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reaper of cluster mode on a real Redis: one node at a time holds its lease and delivers the
 * events every node's scripts write (presence after the grace period, messages dropped before
 * anyone got them), each once and with its entry id, and the next holder finishes what the last
 * one left. The stores are dated by the test's clock, so the grace passes without sleeping; the
 * reaper's rounds run on their own threads every 500 ms.
 */
@Timeout(60)
class ReaperTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration PAST_GRACE = GRACE.plusSeconds(1);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final List<RedisStore> stores = new ArrayList<>();
  private Nodes nodes;

  @BeforeEach
  void joinRedis() {
    redis.command("FLUSHALL");
    nodes = new Nodes(redis.server());
  }

  @AfterEach
  void leave() throws InterruptedException {
    stores.forEach(RedisStore::close);
    nodes.close();
  }

  /** An outlet that records what it is given; {@code hold} keeps its next delivery waiting. */
  private static final class Recorder implements EventOutlet {
    final LinkedBlockingQueue<Map<String, Object>> delivered = new LinkedBlockingQueue<>();
    final AtomicLong dropped = new AtomicLong();
    volatile CountDownLatch hold = new CountDownLatch(0);
    final CountDownLatch holding = new CountDownLatch(1);

    @Override
    public void deliver(Map<String, Object> body) throws InterruptedException {
      if (hold.getCount() > 0) {
        holding.countDown();
        hold.await();
      }
      delivered.add(body);
    }

    @Override
    public void dropped(long count) {
      dropped.addAndGet(count);
    }

    Map<String, Object> next() throws InterruptedException {
      Map<String, Object> event = delivered.poll(10, TimeUnit.SECONDS);
      assertNotNull(event, "no event delivered within 10 s");
      return event;
    }

    /** Nothing more arrives within two of the reaper's rounds. */
    void quiet() throws InterruptedException {
      Map<String, Object> more = delivered.poll(2 * Reaper.ROUND_MILLIS + 200, TimeUnit.MILLISECONDS);
      assertNull(more, "no further event");
    }
  }

  private static RelayConfig config(int maxMessages, int webhookQueue) {
    RelayConfig d = RelayConfig.defaults();
    InboxConfig inbox = new InboxConfig(maxMessages, 100_000, Duration.ofSeconds(60), Duration.ofSeconds(120), 1_000,
        10_000, 3);
    return new RelayConfig(d.server(), inbox, d.poll(), new EventConfig(Duration.ofSeconds(300), 100),
        new TopicConfig(Duration.ofHours(1), 100, 2),
        d.presence().withGrace(GRACE).withWebhookQueue(webhookQueue), d.limits(), d.admin(), d.cluster());
  }

  private RedisStore store(String node, Recorder outlet) {
    return store(node, outlet, config(5, 10_000));
  }

  private RedisStore store(String node, Recorder outlet, RelayConfig config) {
    RedisStore store = new RedisStore(nodes.start(node), config, now::get, outlet);
    stores.add(store);
    return store;
  }

  private static ChannelId newChannel() {
    return new ChannelId(Ids.newClientId(), "tab");
  }

  @Test
  void exactlyOneNodeReapsAndAnotherTakesOverWhenItStops() throws Exception {
    RedisStore a = store("reaper-a", new Recorder());
    RedisStore b = store("reaper-b", new Recorder());
    Await.until("one node holds the reaper's lease", Duration.ofSeconds(5), () -> a.reaping() || b.reaping());
    Thread.sleep(3 * Reaper.ROUND_MILLIS);
    assertTrue(a.reaping() ^ b.reaping(), "exactly one holds it");
    RedisStore holder = a.reaping() ? a : b;
    RedisStore other = holder == a ? b : a;
    holder.close();
    Await.until("the other node takes the lease once it lapses", Duration.ofSeconds(5), other::reaping);
  }

  @Test
  void aChannelIsOnlineOnceThenOfflineOnceAfterTheGrace() throws Exception {
    Recorder events = new Recorder();
    RedisStore a = store("reaper-a", events);
    ChannelId channel = newChannel();
    get(a.open(channel));
    Map<String, Object> online = events.next();
    assertEquals("channel.online", online.get("type"));
    assertEquals(channel.client(), online.get("client"));
    assertEquals(channel.name(), online.get("channel"));
    assertEquals(now.get(), online.get("ts"));
    assertTrue(String.valueOf(online.get("id")).matches("\\d+-\\d+"), "the stream entry's id: " + online);
    get(a.open(channel));
    events.quiet();

    now.addAndGet(PAST_GRACE.toMillis());
    Map<String, Object> offline = events.next();
    assertEquals("channel.offline", offline.get("type"));
    assertEquals(channel.name(), offline.get("channel"));
    events.quiet();

    get(a.open(channel));
    assertEquals("channel.online", events.next().get("type"), "back again");
  }

  @Test
  void aChannelHeldByAPollStaysOnlinePastTheGraceUntilItIsReleased() throws Exception {
    Recorder events = new Recorder();
    RedisStore a = store("reaper-a", events);
    RedisStore b = store("reaper-b", events);
    ChannelId channel = newChannel();
    FeedCursor start = get(b.open(channel));
    assertEquals("channel.online", events.next().get("type"));
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    get(b.readAndLease(channel, start, false, poll));
    now.addAndGet(PAST_GRACE.toMillis());
    events.quiet();
    get(b.release(channel, poll));
    get(b.giveBackOwedNow()); // as the receiver's next poll would, or the grace for it
    now.addAndGet(GRACE.toMillis() - 1_000);
    events.quiet();
    now.addAndGet(2_000);
    assertEquals("channel.offline", events.next().get("type"));
    assertFalse(a.reaping() && b.reaping());
  }

  @Test
  void messagesNobodyGotAreReportedWhenTheyExpireOrOverflowAndReadOnesAreNot() throws Exception {
    Recorder events = new Recorder();
    RedisStore a = store("reaper-a", events, config(3, 10_000));
    ChannelId channel = newChannel();
    FeedCursor start = get(a.open(channel));
    assertEquals("channel.online", events.next().get("type"));
    get(a.append(channel, new Send("read in time", 1_000, null)));
    get(a.readAndLease(channel, start, false, Lease.NONE));
    get(a.append(channel, new Send("nobody reads this", 1_000, null)));
    now.addAndGet(2_000);
    Map<String, Object> expired = events.next();
    assertEquals("message.expired", expired.get("type"));
    assertEquals(2L, expired.get("seq"), "only the one never handed out");
    assertEquals("expired", expired.get("reason"));
    assertEquals(channel.client(), expired.get("client"));
    events.quiet();

    for (int i = 0; i < 5; i++) {
      get(a.append(channel, new Send("flood " + i, 0, null)));
    }
    List<Object> overflowed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Map<String, Object> event = events.next();
      assertEquals("message.expired", event.get("type"));
      assertEquals("overflow", event.get("reason"));
      overflowed.add(event.get("seq"));
    }
    assertEquals(List.of(3L, 4L), overflowed, "the two oldest of five in an inbox of three");
  }

  @Test
  void theNextHolderDeliversWhatTheLastOneLeftUnfinished() throws Exception {
    Recorder first = new Recorder();
    first.hold = new CountDownLatch(1);
    RedisStore a = store("reaper-a", first);
    Await.until("a reaps", Duration.ofSeconds(5), a::reaping);
    Recorder second = new Recorder();
    RedisStore b = store("reaper-b", second);
    ChannelId channel = newChannel();
    get(b.open(channel));
    assertTrue(first.holding.await(10, TimeUnit.SECONDS), "a took the event and is delivering it");
    a.close();
    Map<String, Object> again = second.next();
    assertEquals("channel.online", again.get("type"), "b claimed what a read but never finished");
    first.hold.countDown();
    second.quiet();
  }

  @Test
  void pastTheQueueLimitTheOldestWaitingEventsAreDroppedAndCounted() throws Exception {
    Recorder events = new Recorder();
    events.hold = new CountDownLatch(1);
    RedisStore a = store("reaper-a", events, config(5, 5));
    Await.until("a reaps", Duration.ofSeconds(5), a::reaping);
    get(a.open(newChannel()));
    assertTrue(events.holding.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 20; i++) {
      get(a.open(newChannel()));
    }
    Await.until("the stream trimmed to the limit", Duration.ofSeconds(5), () -> events.dropped.get() >= 15);
    events.hold.countDown();
    Await.until("the rest delivered", Duration.ofSeconds(10), () -> a.webhookBacklog() == 0
        && Long.parseLong(redis.command("XLEN", "ar:{g}:wh")) == 0);
    long accounted = events.delivered.size() + events.dropped.get();
    // 22 when the trim also took the event in hand, which was then delivered all the same.
    assertTrue(accounted == 21 || accounted == 22, "every event delivered or counted as dropped: " + accounted);
    assertTrue(events.delivered.size() <= 7, "at most the limit and the ones in hand: " + events.delivered.size());
  }

  @Test
  void aNodeWithoutAWebhookWritesNoEventsAndNoAgenda() throws Exception {
    RedisStore plain = new RedisStore(nodes.start("plain"), config(5, 10_000), now::get, null);
    stores.add(plain);
    ChannelId channel = newChannel();
    get(plain.open(channel));
    get(plain.append(channel, new Send("x", 0, null)));
    assertEquals("0", redis.command("EXISTS", "ar:{g}:wh"));
    assertEquals("0", redis.command("EXISTS", "ar:{g}:due"));
    assertFalse(plain.reaping());
  }
}
