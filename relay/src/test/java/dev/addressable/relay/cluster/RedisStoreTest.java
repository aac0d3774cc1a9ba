package dev.addressable.relay.cluster;

import static dev.addressable.relay.store.Outcomes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Hints;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Outcomes;
import dev.addressable.relay.store.PresenceEvents;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.StoreContractTest;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis store keeps the contract, on a real redis-server, dated by the test's clock; and what
 * only it does: a second node hears of sends by pub/sub, a {@code mid} is stored once, every key
 * but the incarnation expires by itself, and an unreachable Redis is a value.
 */
class RedisStoreTest extends StoreContractTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static Nodes nodes;
  private static ClusterNode node;
  private final List<RedisStore> made = new ArrayList<>();

  @BeforeAll
  static void joinRedis() {
    redis.command("FLUSHALL");
    nodes = new Nodes(redis.server());
    node = nodes.start("store-a");
  }

  @AfterAll
  static void leaveRedis() throws InterruptedException {
    nodes.close();
  }

  @Override
  protected Store newStore(RelayConfig config) {
    return make(node, config);
  }

  @Override
  protected Store newStoreReporting(RelayConfig config, PresenceEvents events) {
    RedisStore store = new RedisStore(node, config, now::get, events);
    made.add(store);
    return store;
  }

  private RedisStore make(ClusterNode on, RelayConfig config) {
    RedisStore store = new RedisStore(on, config, now::get, null);
    made.add(store);
    return store;
  }

  @Override
  protected void givenBack() throws Exception {
    get(((RedisStore) store).giveBackOwedNow());
  }

  @AfterEach
  void closeStores() {
    made.forEach(RedisStore::close);
  }

  @Test
  void anotherNodeHearsOfASendToAChannelItHolds() throws Exception {
    ClusterNode other = nodes.start("store-b");
    RedisStore b = make(other, config());
    Hints heard = new Hints();
    b.wakeups(heard);
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    get(b.readAndLease(channel, start, false, Lease.poll(Duration.ofSeconds(30))));
    Delivery sent = append(channel, "to b");
    assertEquals(1, sent.delivered(), "b's receiver was leased when it was stored");
    heard.await("channel " + channel);
    assertEquals(List.of("to b"), get(b.readAndLease(channel, start, false, Lease.NONE)).messages().stream()
        .map(m -> m.data()).toList());
  }

  private String leaseAt(ChannelId channel) {
    return redis.command("HGET", "ar:{" + channel.client() + "}:h:" + channel.name() + ":r", node.node().value());
  }

  @Test
  void aPollsLeaseIsGivenBackByTheReceiversNextPoll() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    Lease lease = Lease.poll(Duration.ofSeconds(30));
    get(store.readAndLease(channel, start, false, lease));
    assertTrue(leaseAt(channel).endsWith(":1"), leaseAt(channel));
    get(store.release(channel, lease));
    assertTrue(leaseAt(channel).endsWith(":1"), "owed until the next poll: " + leaseAt(channel));
    pass(Duration.ofSeconds(1));
    get(store.readAndLease(channel, start, false, lease));
    assertTrue(leaseAt(channel).endsWith(":1"), "the next poll gave the old lease back as it took its own: "
        + leaseAt(channel));
    get(store.release(channel, lease));
    givenBack();
    assertNull(leaseAt(channel), "given back when asked, with no poll to follow");
  }

  @Test
  void aPollsLeaseNobodyFollowsIsGivenBackAfterTheGrace() throws Exception {
    ChannelId channel = newChannel();
    Lease lease = Lease.poll(Duration.ofSeconds(30));
    get(store.readAndLease(channel, null, false, lease));
    get(store.release(channel, lease));
    assertTrue(leaseAt(channel).endsWith(":1"), leaseAt(channel));
    pass(OwedReleases.GRACE.plusSeconds(1));
    Await.until("the owed lease is given back on its own", Duration.ofSeconds(30),
        () -> leaseAt(channel) == null);
  }

  @Test
  void aLeaveThroughOneNodeHasAnotherGiveBackThePollLeaseItOwes() throws Exception {
    RedisStore other = make(nodes.start("store-leave-owed"), config());
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    get(other.readAndLease(channel, start, false, poll));
    get(other.release(channel, poll)); // the closing tab's poll, cut off: the other node owes its lease
    assertTrue(get(store.status(channel)).online(), "the owed lease still holds it");
    get(store.leave(channel)); // the tab's leave reached this node
    Await.until("the other node, hinted, gave back the lease it owed", Duration.ofSeconds(5),
        () -> !get(store.status(channel)).online());
  }

  @Test
  void aPollCutOffAfterALeaveThroughAnotherNodeIsGivenBackAtOnce() throws Exception {
    RedisStore other = make(nodes.start("store-leave-held"), config());
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    get(other.readAndLease(channel, start, false, poll));
    get(store.leave(channel));
    assertTrue(get(store.status(channel)).online(), "the other node's poll still waits");
    get(other.release(channel, poll));
    // The clock does not move, so no grace gives an owed lease back here: the leave's hint does.
    Await.until("offline, the poll's lease given back", Duration.ofSeconds(5),
        () -> !get(store.status(channel)).online());
  }

  @Test
  void theLeavingPagesLastPollThroughAnotherNodeIsGivenBackAtOnce() throws Exception {
    RedisStore other = make(nodes.start("store-leave-late"), config());
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    get(store.leave(channel)); // no lease held it: no node was hinted
    Lease poll = Lease.poll(Duration.ofSeconds(30));
    get(other.readAndLease(channel, start, true, poll)); // the leaving page's last poll, on its way
    assertTrue(get(store.status(channel)).online(), "online while it waits");
    get(other.release(channel, poll)); // cut off as the page goes
    assertFalse(get(store.status(channel)).online(), "its lease given back at once, not owed");
  }

  @Test
  void aRetryWithTheSameMidIsStoredOnce() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    Delivery first = get(store.append(channel, new Send("once", 0, "retry-1")));
    Delivery again = get(store.append(channel, new Send("once", 0, "retry-1")));
    assertEquals(first.position(), again.position());
    assertEquals(1, read(channel, start).messages().size());
  }

  @Test
  void aNewIncarnationSwitchesTheEpochAndCrossingReadersAreToldMissed() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = get(store.open(channel));
    append(channel, "before");
    redis.command("HSET", "ar:{g}:inc", "r", "another-run");
    get(node.checkNow());
    append(channel, "after");
    var batch = read(channel, start);
    assertTrue(batch.missed(), "a non-durable change: every crossing reader is told");
    assertEquals(List.of("before", "after"), batch.messages().stream().map(m -> m.data()).toList());
    assertNotEquals(start.own().epoch(), batch.cursor().own().epoch());
    assertEquals(2, batch.cursor().own().seq(), "seqs go on");
  }

  @Test
  void oneTopicReadCountsEveryReaderItCarries() throws Exception {
    TopicId topic = newTopic();
    List<ChannelId> channels = List.of(newChannel(), newChannel(), newChannel());
    for (ChannelId channel : channels) {
      get(store.open(channel));
      get(store.subscribe(channel, topic));
    }
    Cursor at = get(store.open(channels.get(0))).topics().get(topic.value());
    get(store.publish(topic, new Send("news", 0)));
    pass(Duration.ofSeconds(30));
    List<String> readers = channels.stream().map(StoreKeys::member).toList();
    SharedTopicReads.Question question = new SharedTopicReads.Question(topic.value(), at.epoch(),
        Long.toString(at.seq()), "5", "62000", false);

    List<Object> answer = get(((RedisStore) store).reads().topicRead(question, readers, readers.size()));
    assertEquals(List.of("news"), Replies.messages(Replies.list(answer, 3), topic.value()).stream()
        .map(m -> m.data()).toList(), "one read answers them all");
    for (String reader : readers) {
      String score = redis.command("ZSCORE", "ar:{t:" + topic.value() + "}:s", reader);
      assertEquals(now.get() + IDLE.toMillis(), (long) Double.parseDouble(score), reader + " counted from now");
    }
  }

  @Test
  void everyKeyButTheIncarnationExpiresByItself() throws Exception {
    ChannelId channel = newChannel();
    get(store.open(channel));
    get(store.append(channel, new Send("kept a while", 0, "mid-ttl")));
    get(store.readAndLease(channel, null, true, Lease.poll(Duration.ofSeconds(5))));
    var topic = newTopic();
    get(store.subscribe(channel, topic));
    get(store.publish(topic, new Send("news", 0)));
    get(store.confirmed(channel));
    get(store.confirmed(topic));
    var name = new dev.addressable.relay.store.VariableName("ttl-check-0123456789");
    get(store.awaitVariable(name, Lease.variable(Duration.ofSeconds(5))));
    get(store.setVariable(name));
    List<String> forever = new ArrayList<>();
    for (String key : redis.command("KEYS", "*").split("\n")) {
      // The cluster's own keys are kept for good: the incarnation, and the reaper's event stream and
      // agenda, which a store with a webhook (as the leave tests make) writes.
      if (!key.isEmpty() && "-1".equals(redis.command("PTTL", key)) && !List.of("ar:{g}:inc", "ar:{g}:wh", "ar:{g}:due")
          .contains(key)) {
        forever.add(key);
      }
    }
    assertEquals(List.of(), forever);
  }

  @Test
  void aStoppedRedisIsAValueNotAnException() throws Exception {
    redis.server().pause();
    try {
      Throwable failure = Outcomes.failure(store.append(newChannel(), new Send("in vain", 0)));
      assertInstanceOf(StoreUnavailable.class, failure);
    } finally {
      redis.server().resume();
    }
  }
}
