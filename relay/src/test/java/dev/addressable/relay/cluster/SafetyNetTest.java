package dev.addressable.relay.cluster;

import static dev.addressable.relay.store.Outcomes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.addressable.relay.address.Ids;
import dev.addressable.relay.config.Options;
import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.Wakeups;
import dev.addressable.relay.testing.Await;
import dev.addressable.relay.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The safety nets of CLUSTER.md section 6 on a real Redis, with two nodes: a sends, b holds. A
 * hint that cannot arrive (b's lease taken away behind its back, b's subscription dropped or
 * killed, Redis flushed) still reaches b's receivers, by the position check (streams) or a
 * re-sweep (everything held); the probe notices a subscription that is open but deaf, and
 * rebuilds it.
 */
@Timeout(120)
class SafetyNetTest {

  @RegisterExtension
  static final RedisServerExtension redis = new RedisServerExtension();

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Duration LONG = Duration.ofSeconds(60);

  private Nodes nodes;
  private ClusterNode nodeA;
  private ClusterNode nodeB;
  private RedisStore a;
  private RedisStore b;
  private final Heard heard = new Heard();

  @BeforeEach
  void startNodes() {
    redis.command("FLUSHALL");
    nodes = new Nodes(redis.server());
    nodeA = nodes.start("net-a");
    nodeB = nodes.start("net-b", "--lease", "6"); // the position check runs every 2 s
    RelayConfig config = Options.parse(new String[0], Map.of());
    a = new RedisStore(nodeA, config);
    b = new RedisStore(nodeB, config);
    b.wakeups(heard);
  }

  @AfterEach
  void stopNodes() throws InterruptedException {
    a.close();
    b.close();
    nodes.close();
  }

  private static ChannelId newChannel() {
    return new ChannelId(Ids.newClientId(), "tab");
  }

  /** b's receiver waits on {@code channel} with a poll's lease, at the channel's end. */
  private FeedCursor waitAtB(ChannelId channel) throws Exception {
    return waitAtB(channel, Lease.poll(Duration.ofSeconds(50)));
  }

  /** b's receiver waits on {@code channel} holding {@code lease}, at the channel's end. */
  private FeedCursor waitAtB(ChannelId channel, Lease lease) throws Exception {
    FeedCursor start = get(a.open(channel));
    get(b.readAndLease(channel, start, false, lease));
    return start;
  }

  private String leaseOf(ClusterNode node, ChannelId channel) {
    return redis.command("HGET", "ar:{" + channel.client() + "}:h:" + channel.name() + ":r", node.node().value());
  }

  private void dropLease(ClusterNode node, ChannelId channel) {
    redis.command("HDEL", "ar:{" + channel.client() + "}:h:" + channel.name() + ":r", node.node().value());
  }

  @Test
  void aSendWhoseHintCannotArriveIsFoundByThePositionCheck() throws Exception {
    ChannelId channel = newChannel();
    FeedCursor start = waitAtB(channel, Lease.STREAM);
    dropLease(nodeB, channel); // a's send hints nobody
    Delivery sent = get(a.append(channel, new Send("unhinted", 0)));
    assertEquals(0, sent.delivered());
    heard.await("behind " + channel + " " + new Cursor(start.own().epoch(), 1));
  }

  @Test
  void thePositionCheckLeavesReceiversThatAreUpToDateAlone() throws Exception {
    ChannelId channel = newChannel();
    waitAtB(channel, Lease.STREAM);
    heard.await("behind " + channel + " " + get(a.open(channel)).own());
    // Each check reports the same top; nothing ever says the channel moved.
    heard.await("behind " + channel + " " + get(a.open(channel)).own());
    assertTrue(heard.lines().stream().noneMatch(line -> line.startsWith("channel ")), heard.lines().toString());
  }

  @Test
  void thePositionCheckLeavesChannelsOnlyPollsHold() throws Exception {
    ChannelId polled = newChannel();
    waitAtB(polled);
    ChannelId streamed = newChannel();
    Cursor top = waitAtB(streamed, Lease.STREAM).own();
    heard.await("behind " + streamed + " " + top);
    heard.await("behind " + streamed + " " + top); // two checks ran
    assertTrue(heard.lines().stream().noneMatch(line -> line.contains(polled.toString())),
        "a poll reads again when it comes back; no check reads its channel: " + heard.lines());
  }

  @Test
  void aFlushIsFollowedByAResweepThatWakesThePollsItLeftWaiting() throws Exception {
    ChannelId channel = newChannel();
    waitAtB(channel);
    long before = b.sweeps();
    redis.command("FLUSHALL"); // every lease gone; no connection drops
    Await.until("b re-swept after the new incarnation", LONG, () -> b.sweeps() > before);
    heard.await("channel " + channel); // gone from Redis: its waiters read, which makes it anew
  }

  @Test
  void aKilledSubscriptionIsFollowedByAResweepThatWritesTheLeasesAgain() throws Exception {
    ChannelId channel = newChannel();
    waitAtB(channel);
    dropLease(nodeB, channel); // as a send does whose PUBLISH found b unsubscribed
    long before = b.sweeps();
    redis.command("CLIENT", "KILL", "TYPE", "pubsub");
    Await.until("b re-swept after subscribing again", LONG, () -> b.sweeps() > before);
    Await.until("b's lease is written again", LONG, () -> leaseOf(nodeB, channel) != null);
    Delivery sent = get(a.append(channel, new Send("after the sweep", 0)));
    assertEquals(1, sent.delivered(), "b's receiver is leased again");
    heard.await("channel " + channel);
  }

  @Test
  void theProbeRebuildsASubscriptionThatIsOpenButDeaf() throws Exception {
    ChannelId channel = newChannel();
    waitAtB(channel);
    String hints = nodeB.connections().channel();
    // Behind the node's back: the connection stays open and healthy, and hears nothing.
    get(nodeB.connections().pubsub().async().unsubscribe(hints).toCompletableFuture());
    assertEquals("0", numsub(hints));
    Await.until("the probe found b deaf", LONG, () -> nodeB.probeFailures() > 0);
    Await.until("b listens again", LONG, () -> "1".equals(numsub(hints)));
    Await.until("b's lease is written again", LONG, () -> leaseOf(nodeB, channel) != null);
    get(a.append(channel, new Send("heard again", 0)));
    heard.await("channel " + channel);
  }

  private static String numsub(String channel) {
    String[] reply = redis.command("PUBSUB", "NUMSUB", channel).split("\n");
    return reply[reply.length - 1];
  }

  @Test
  void aTopicPublishCountsTheSubscribersEachNodeReports() throws Exception {
    TopicId topic = new TopicId("nettopic" + NAMES.incrementAndGet() + "xxxxxxxxxxxxxxxxxx");
    for (int i = 0; i < 3; i++) {
      ChannelId channel = newChannel();
      get(a.open(channel));
      get(a.subscribe(channel, topic));
      get(b.readAndLease(channel, get(a.open(channel)), false, Lease.poll(Duration.ofSeconds(50))));
    }
    Delivery published = get(a.publish(topic, new Send("to three tabs at b", 0)));
    assertEquals(3, published.delivered(), "three channels follow it at b, none at a");
    heard.await("carried " + topic + " " + published.position() + " to three tabs at b " + topic);
    String large = "x".repeat(8193);
    get(a.publish(topic, new Send(large, 0)));
    heard.await("topic " + topic); // too large to ride in the hint: announced, and read
  }

  /** b's node as far as the store tells it: one line per hint, for a test to await. */
  static final class Heard implements Wakeups {

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    void await(String line) throws InterruptedException {
      long deadline = System.nanoTime() + LONG.toNanos();
      List<String> others = new ArrayList<>();
      while (true) {
        String next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertTrue(next != null, "never heard " + line + "; heard " + others);
        if (next.equals(line)) {
          return;
        }
        others.add(next);
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(all);
    }

    private synchronized void add(String line) {
      all.add(line);
      queue.add(line);
    }

    @Override
    public int channel(ChannelId channel) {
      add("channel " + channel);
      return 0;
    }

    @Override
    public void channels(List<ChannelId> channels, int[] reached) {
      channels.forEach(channel -> add("channel " + channel));
    }

    @Override
    public int topic(TopicId topic) {
      add("topic " + topic);
      return 0;
    }

    @Override
    public int topicMessage(TopicId topic, Cursor top, dev.addressable.relay.inbox.Message message) {
      add("carried " + topic + " " + top + " " + message.data() + " " + message.topic());
      return 0;
    }

    @Override
    public int channelBehind(ChannelId channel, Cursor top) {
      add("behind " + channel + " " + top);
      return 0;
    }

    @Override
    public int topicBehind(TopicId topic, Cursor top) {
      add("behind " + topic + " " + top);
      return 0;
    }

    @Override
    public void confirmed(ChannelId channel, Cursor upTo) {}

    @Override
    public void confirmed(TopicId topic, Cursor upTo) {}

    @Override
    public int variable(VariableName name) {
      return 0;
    }
  }
}
