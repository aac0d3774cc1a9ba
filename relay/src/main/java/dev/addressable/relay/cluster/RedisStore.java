package dev.addressable.relay.cluster;

import dev.addressable.relay.config.RelayConfig;
import dev.addressable.relay.event.EventOutlet;
import dev.addressable.relay.feed.Batch;
import dev.addressable.relay.feed.FeedCursor;
import dev.addressable.relay.inbox.Cursor;
import dev.addressable.relay.store.ChannelId;
import dev.addressable.relay.store.ClientId;
import dev.addressable.relay.store.Counts;
import dev.addressable.relay.store.Delivery;
import dev.addressable.relay.store.Lease;
import dev.addressable.relay.store.Presence;
import dev.addressable.relay.store.Send;
import dev.addressable.relay.store.Stages;
import dev.addressable.relay.store.Store;
import dev.addressable.relay.store.StoreStatus;
import dev.addressable.relay.store.StoreUnavailable;
import dev.addressable.relay.store.TopicId;
import dev.addressable.relay.store.VariableName;
import dev.addressable.relay.store.Wakeups;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of cluster mode: everything in one Redis, shared by every relay using it, as
 * CLUSTER.md describes (keys section 3, epochs 4, sends 5, reads 6, topics, receipts, presence and
 * variables 7). Each operation is one Lua script (two or more where a step spans hash tags: a
 * channel's topics, subscribing), one round trip each; stages complete on the cluster executor,
 * never on Lettuce's threads, and no thread waits on one here.
 *
 * <p><b>Time</b> is Redis's ({@code TIME} inside each script), one clock for the whole cluster;
 * a test may give its own clock instead. Channels, leases, presence and messages expire by those
 * times, checked by every script; key TTLs only collect what nobody touches any more.
 *
 * <p><b>Hints</b> come from other nodes' scripts over pub/sub ({@link HintRelay}); this node's own
 * receivers are woken by the operation that stored the message. Hints may be lost: the
 * {@link SafetyNet} re-sweeps every channel and topic held here, rewriting leases, when pub/sub
 * subscribes again, the probe finds it deaf, hints were dropped or Redis's incarnation changed,
 * and checks the top pair of streams and topics at least every 10 s (renewing stream leases in
 * the same batch). A poll reads when it comes back after its timeout.
 *
 * <p><b>A poll's lease</b> is given back by the receiver's next poll here, in its read
 * ({@link OwedReleases}): one script per poll, not two. A {@link #leave} has every node give back
 * the poll leases it owes on the channel at once ({@code leave.lua} hints those holding leases).
 *
 * <p><b>Events</b> for the webhook (presence, messages dropped unread) are written by the scripts
 * into a stream in Redis and delivered by the one node holding the reaper's lease ({@link Reaper}).
 *
 * <p>{@link #close} stops the checks; the connections belong to the {@link ClusterNode}.
 */
public final class RedisStore implements Store, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
  /** How long the node may be degraded before its waiting receivers are released. */
  private static final long RELEASE_AFTER_MILLIS = 2_000;
  /** An owed poll lease, as given back: only its kind matters there. */
  private static final Lease OWED = Lease.poll(OwedReleases.GRACE);

  private final ClusterNode cluster;
  private final RelayConfig config;
  private final StoreKeys keys;
  private final StoreScripts scripts;
  private final LocalHolds holds = new LocalHolds();
  private final OwedReleases owed;
  private final RedisReads reads;
  private final RedisSends sends;
  private final HintRelay hints;
  private final ScheduledExecutorService timer;
  private final SafetyNet net;
  /** The cluster's periodic work and webhook delivery, if this node has a webhook; else {@code null}. */
  private final Reaper reaper;
  private volatile Wakeups wakeups = Wakeups.NONE;

  /** A store on {@code cluster}'s Redis, on Redis's clock, with no webhook. */
  public RedisStore(ClusterNode cluster, RelayConfig config) {
    this(cluster, config, null, null);
  }

  /** A store on {@code cluster}'s Redis, on Redis's clock, whose events go to {@code outlet}. */
  public RedisStore(ClusterNode cluster, RelayConfig config, EventOutlet outlet) {
    this(cluster, config, null, outlet);
  }

  /**
   * A store on {@code cluster}'s Redis that dates everything by {@code clock} instead of Redis's
   * {@code TIME}: for tests, which move time on instead of sleeping. Never in production, where
   * nodes' clocks may disagree.
   *
   * @param outlet where the cluster's events (presence, messages dropped unread) go, by this
   *     node's reaper while it holds the reaper's lease; {@code null} if this node has no webhook
   */
  public RedisStore(ClusterNode cluster, RelayConfig config, LongSupplier clock, EventOutlet outlet) {
    this.cluster = cluster;
    this.config = config;
    this.keys = new StoreKeys(cluster.config().prefix());
    this.scripts = new StoreScripts(cluster, config, clock, outlet != null);
    this.reaper = outlet == null ? null
        : new Reaper(cluster, scripts, keys, outlet, config.presence().webhookQueue());
    // On the store's clock: a test that steps its own clock steps the grace too.
    this.owed = clock == null ? new OwedReleases() : new OwedReleases(() -> clock.getAsLong() * 1_000_000L);
    this.reads = new RedisReads(scripts, keys, holds, owed, this::wakeups, config.poll().maxPerChannel(), this::departed);
    this.sends = new RedisSends(scripts, keys, this::wakeups);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "addressable-redis-store");
      thread.setDaemon(true);
      return thread;
    });
    this.net = new SafetyNet(cluster, scripts, keys, holds, reads, this::wakeups, timer);
    this.hints = new HintRelay(this::wakeups, net::sweep, this::departed);
    cluster.setHintListener(hints);
    net.start();
    long settleEvery = OwedReleases.GRACE.toMillis() / 2;
    timer.scheduleWithFixedDelay(() -> owed.settle(this::giveBackOwed), settleEvery, settleEvery, TimeUnit.MILLISECONDS);
    if (reaper != null) {
      reaper.start();
    }
    cluster.health().addListener(new StoreHealth.Listener() {
      @Override public void ready() {
        if (!timer.isShutdown()) {
          LOG.info("Redis can be used again; this relay is ready");
        }
      }

      @Override public void degraded(String reason) {
        if (timer.isShutdown()) {
          return; // closed: nobody waits here any more
        }
        LOG.warn("Redis cannot be used ({}); this relay answers 503 store_unavailable until it can", reason);
        timer.schedule(RedisStore.this::releaseIfStillDown, RELEASE_AFTER_MILLIS, TimeUnit.MILLISECONDS);
      }
    });
  }

  /**
   * Still degraded a while after it began: the receivers waiting here are answered 503
   * {@code store_unavailable} (streams close with it), since no hint reaches them while Redis
   * cannot be used, and their clients retry, through another relay if one can reach Redis
   * (CLUSTER.md section 8). A blip shorter than that releases nobody.
   */
  private void releaseIfStillDown() {
    if (!cluster.health().isReady()) {
      LOG.info("Redis still cannot be used; answering this relay's waiting receivers with 503 store_unavailable");
      wakeups.unavailable(new StoreUnavailable("the relay cannot reach its store just now; try again shortly", true));
    }
  }

  /** A poll's lease owed longer than {@link OwedReleases#GRACE}: given back on its own. */
  private CompletionStage<Void> giveBackOwed(ChannelId channel, long agoMillis) {
    try {
      return reads.giveBack(channel, OWED, agoMillis).exceptionally(failure -> null); // unanswered: it runs out
    } catch (RuntimeException e) {
      LOG.debug("An owed lease could not be given back: {}", e.toString()); // it runs out by itself
      return Stages.done();
    }
  }

  /**
   * Gives back every poll lease still owed, now, without waiting for the receivers' next polls:
   * what {@link #close} does, and what a test that steps its own clock does after a release.
   */
  public CompletionStage<Void> giveBackOwedNow() {
    return giveBackAll(owed::settleAll);
  }

  /** Gives back each lease {@code owedNow} hands over; complete once every one is (or failed: it runs out). */
  private CompletionStage<Void> giveBackAll(Consumer<ObjLongConsumer<ChannelId>> owedNow) {
    List<CompletableFuture<?>> each = new ArrayList<>();
    owedNow.accept((channel, ago) -> each.add(giveBackOwed(channel, ago).toCompletableFuture()));
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
  }

  /** Whether this node holds the reaper's lease now (it never does without a webhook). */
  public boolean reaping() {
    return reaper != null && reaper.holding();
  }

  /** Events waiting for the webhook in Redis, as this node last saw while reaping; else 0. */
  public long webhookBacklog() {
    return reaper == null ? 0 : reaper.backlog();
  }

  /** Re-sweeps of what this node holds since the start (pub/sub back, probe failed, hints dropped). */
  public long sweeps() {
    return net.sweeps();
  }

  private Wakeups wakeups() {
    return wakeups;
  }

  @Override
  public void wakeups(Wakeups listener) {
    this.wakeups = listener;
  }

  /** Redis can be used while the node's gate is open ({@link StoreHealth}). */
  @Override
  public StoreStatus availability() {
    StoreHealth health = cluster.health();
    return () -> health.isReady() ? null : health.reason();
  }

  @Override
  public CompletionStage<FeedCursor> open(ChannelId channel) {
    return reads.open(channel);
  }

  @Override
  public CompletionStage<Delivery> append(ChannelId channel, Send send) {
    return sends.toChannel(channel, send);
  }

  @Override
  public CompletionStage<Delivery> appendToClient(ClientId client, Send send) {
    return sends.toClient(client, send);
  }

  @Override
  public CompletionStage<Delivery> publish(TopicId topic, Send send) {
    holds.usedTopic(topic.value());
    return sends.toTopic(topic, send);
  }

  /** Its reads, for the tests of this package. */
  RedisReads reads() {
    return reads;
  }

  @Override
  public CompletionStage<Batch> readAndLease(ChannelId channel, FeedCursor after, boolean confirms, Lease lease) {
    return reads.readAndLease(channel, after, confirms, lease);
  }

  @Override
  public CompletionStage<Void> release(ChannelId channel, Lease lease) {
    return lease.isHeld() ? reads.release(channel, lease) : Stages.done();
  }

  @Override
  public CompletionStage<Void> confirm(ChannelId channel, FeedCursor cursor) {
    return reads.confirm(channel, cursor);
  }

  /** One script; then this node gives back what it owes there (the script hinted the other nodes holding leases). */
  @Override
  public CompletionStage<Boolean> leave(ChannelId channel) {
    return scripts.run("leave", keys.channel(channel), StoreKeys.subject(channel))
        .thenCompose(r -> departed(channel).thenApply(given -> Replies.number(r, 0) == 1));
  }

  /**
   * The channel's receiver said it is leaving (through this node, another's hint, or a poll read
   * here while it was): the poll leases this node owes there are given back now, and its polls
   * that leave there meanwhile give theirs back at once, so presence does not wait for a next
   * poll that is not coming.
   */
  private CompletionStage<Void> departed(ChannelId channel) {
    return giveBackAll(giveBack -> owed.leave(channel, giveBack));
  }

  @Override
  public CompletionStage<Cursor> confirmed(ChannelId channel) {
    return scripts.run("confirmed", keys.channel(channel), StoreKeys.subject(channel)).thenApply(RedisStore::pair);
  }

  @Override
  public CompletionStage<Cursor> confirmed(TopicId topic) {
    return scripts.run("topic_confirmed", keys.topic(topic), topic.value()).thenApply(RedisStore::pair);
  }

  private static Cursor pair(List<Object> reply) {
    return reply.isEmpty() ? null : new Cursor(Replies.text(reply, 0), Replies.number(reply, 1));
  }

  @Override
  public CompletionStage<Void> openTopic(TopicId topic) {
    return reads.topicEnd(topic).thenApply(end -> null);
  }

  /** Two steps, as subscribing spans two hash tags: the topic's end pair, then the channel's record of it. */
  @Override
  public CompletionStage<Boolean> subscribe(ChannelId channel, TopicId topic) {
    holds.used(channel);
    return reads.topicEnd(topic, channel)
        .thenCompose(end -> scripts.run("subscribe", keys.channel(channel), StoreKeys.subject(channel), topic.value(),
            end.toString()))
        .thenCompose(r -> scripts.run("topic_member", keys.topic(topic), topic.value(), StoreKeys.member(channel), "1")
            .thenCompose(member -> leaseIfHeld(channel, topic))
            .thenApply(leased -> Replies.number(r, 0) == 1));
  }

  /**
   * After the channel's step: if a receiver here holds the channel now, this node takes its lease
   * on the topic. A read whose hold began after this check runs after the channel step, so it
   * sees the topic and leases it itself; one that held it before is covered here, even if its
   * hold began after the end pair was read.
   */
  private CompletionStage<?> leaseIfHeld(ChannelId channel, TopicId topic) {
    if (!holds.isHeld(channel)) {
      return Stages.done();
    }
    holds.follow(channel, topic.value());
    return reads.renewTopic(topic.value(), holds.followers(topic.value()));
  }

  @Override
  public CompletionStage<Boolean> unsubscribe(ChannelId channel, TopicId topic) {
    holds.used(channel);
    return scripts.run("unsubscribe", keys.channel(channel), StoreKeys.subject(channel), topic.value())
        .thenCompose(r -> scripts.run("topic_member", keys.topic(topic), topic.value(), StoreKeys.member(channel), "0")
            .thenApply(member -> Replies.number(r, 0) == 1));
  }

  @Override
  public CompletionStage<Presence> status(ChannelId channel) {
    return scripts.run("status", keys.channel(channel), StoreKeys.subject(channel)).thenApply(RedisStore::presence);
  }

  @Override
  public CompletionStage<Presence> status(ClientId client) {
    return scripts.run("status_client", keys.client(client), client.value()).thenApply(RedisStore::presence);
  }

  private static Presence presence(List<Object> r) {
    return Replies.number(r, 0) == 0 ? Presence.NOBODY : new Presence(Replies.number(r, 1) == 1, Replies.number(r, 2));
  }

  @Override
  public CompletionStage<Boolean> exists(ChannelId channel) {
    return scripts.run("status", keys.channel(channel), StoreKeys.subject(channel)).thenApply(r -> Replies.number(r, 0) == 1);
  }

  @Override
  public CompletionStage<Boolean> exists(ClientId client) {
    return scripts.run("status_client", keys.client(client), client.value()).thenApply(r -> Replies.number(r, 0) == 1);
  }

  @Override
  public CompletionStage<Boolean> awaitVariable(VariableName name, Lease lease) {
    holds.usedVariable(name.value());
    String ms = lease.isHeld() ? Long.toString(Math.max(1, lease.length().toMillis())) : "0";
    return scripts.run("var_await", keys.variable(name), name.value(), ms).thenApply(r -> Replies.number(r, 0) == 1);
  }

  @Override
  public CompletionStage<Void> release(VariableName name, Lease lease) {
    if (!lease.isHeld()) {
      return Stages.done();
    }
    return scripts.run("var_release", keys.variable(name), name.value()).thenApply(r -> null);
  }

  @Override
  public CompletionStage<Integer> setVariable(VariableName name) {
    holds.usedVariable(name.value());
    return scripts.run("var_set", keys.variable(name), name.value()).thenApply(r -> {
      int woken = (int) Replies.number(r, 0);
      return Replies.number(r, 1) == 1 ? woken + wakeups.variable(name) : woken;
    });
  }

  /** What this node used lately: Redis is not asked (the cluster's totals are Redis's own business). */
  @Override
  public Counts counts() {
    return new Counts(holds.channelCount(), holds.topicCount(), holds.variableCount());
  }

  /**
   * Renews the stream leases held here at once (the {@link SafetyNet}'s position check renews
   * them too), and forgets local counts of what was idle. Channels, messages and variables expire
   * in Redis by themselves; nothing to drop here.
   */
  @Override
  public int sweep() {
    net.renewStreams();
    holds.prune(config.inbox().idleExpiry().toNanos());
    return 0;
  }

  @Override
  public void close() {
    if (reaper != null) {
      reaper.close();
    }
    giveBackOwedNow();
    timer.shutdownNow();
  }
}
