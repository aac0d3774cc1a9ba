package dev.addressable.relay.cluster;

import dev.addressable.relay.event.EventOutlet;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's periodic work, done by one node at a time (CLUSTER.md section 7): whoever holds
 * the reaper's lease ({@code <P>{g}:reaper}, 2 s, renewed every 500 ms) takes the agenda items
 * that are due and runs {@code reap.lua} on each (presence: {@code channel.offline}; expiry:
 * {@code message.expired}), and delivers the event stream {@code <P>{g}:wh} to the webhook, one
 * event at a time and in order, as a single relay does.
 *
 * <p>Events are delivered at least once: an entry leaves the stream (XACK, XDEL) only after the
 * webhook took it or it was given up, and a node that takes the lease first claims what the last
 * holder had read but not finished (XAUTOCLAIM). Each event carries its entry id as {@code "id"}
 * so the app can drop a repeat. The stream holds at most {@code --webhook-queue} events waiting;
 * past that the oldest are trimmed and counted as dropped (the one in hand may be among them and
 * still be delivered).
 *
 * <p>Only nodes with a webhook run a reaper (scripts write events and agenda items only there):
 * give every relay the same {@code --webhook}. Two threads, both daemons: the rounds (lease and
 * agenda) and the deliveries, whose retries may take seconds and must not delay the lease.
 */
final class Reaper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  static final long LEASE_MILLIS = 2_000;
  static final long ROUND_MILLIS = 500;
  /** Agenda items taken per batch; a round takes up to {@link #BATCHES_PER_ROUND} batches. */
  private static final int BATCH = 500;
  private static final int BATCHES_PER_ROUND = 20;
  private static final String GROUP = "relay";
  private static final long WAIT_SECONDS = 10;

  private final ClusterNode cluster;
  private final StoreScripts scripts;
  private final StoreKeys keys;
  private final EventOutlet outlet;
  private final int queueLimit;
  private final Consumer<String> consumer;
  private final Thread rounds;
  private final Thread deliveries;
  private final Object nudge = new Object();
  private volatile boolean holding;
  private volatile boolean closed;
  /** Set when this node takes the lease: claim the last holder's unfinished events first. */
  private volatile boolean claim;
  private volatile long backlog;

  Reaper(ClusterNode cluster, StoreScripts scripts, StoreKeys keys, EventOutlet outlet, int queueLimit) {
    this.cluster = cluster;
    this.scripts = scripts;
    this.keys = keys;
    this.outlet = outlet;
    this.queueLimit = queueLimit;
    this.consumer = Consumer.from(GROUP, cluster.node().value());
    this.rounds = new Thread(this::runRounds, "addressable-redis-reaper");
    this.deliveries = new Thread(this::runDeliveries, "addressable-redis-webhooks");
    rounds.setDaemon(true);
    deliveries.setDaemon(true);
  }

  void start() {
    rounds.start();
    deliveries.start();
  }

  /** Whether this node holds the reaper's lease now. */
  boolean holding() {
    return holding;
  }

  /** Events waiting in the stream at the last round this node held the lease. */
  long backlog() {
    return backlog;
  }

  private void runRounds() {
    while (!closed) {
      try {
        round();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        // Redis unusable or slow: the lease lapses by itself; try again next round.
        holding = false;
        LOG.debug("reaper round failed: {}", e.toString());
      }
      try {
        Thread.sleep(ROUND_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void round() throws InterruptedException, ExecutionException, TimeoutException {
    List<Object> lease = await(scripts.run("reaper", keys.reaper(), "", Long.toString(LEASE_MILLIS)));
    long answer = (Long) lease.get(0);
    if (answer == 0) {
      holding = false;
      return;
    }
    if (answer == 2 || !holding) {
      LOG.info("this relay now does the cluster's periodic work (presence, expiry, webhook delivery)");
      claim = true;
      await(cluster.command(redis -> redis.xgroupCreate(XReadArgs.StreamOffset.from(keys.events(), "0"), GROUP,
          XGroupCreateArgs.Builder.mkstream())).exceptionally(Reaper::busyGroupIsFine));
    }
    holding = true;
    for (int batch = 0; batch < BATCHES_PER_ROUND; batch++) {
      List<Object> due = await(scripts.run("agenda", keys.agenda(), "", Integer.toString(BATCH)));
      List<CompletableFuture<List<Object>>> steps = new ArrayList<>(due.size());
      for (Object item : due) {
        String member = (String) item;
        int colon = member.indexOf(':');
        steps.add(scripts.run("reap", member.substring(colon + 1), "", member.substring(0, colon)).toCompletableFuture());
      }
      CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
      if (due.size() < BATCH) {
        break;
      }
    }
    long length = await(cluster.command(redis -> redis.xlen(keys.events())));
    if (length > queueLimit) {
      long cut = await(cluster.command(redis -> redis.xtrim(keys.events(), queueLimit)));
      outlet.dropped(cut);
      LOG.warn("the webhook fell {} events behind; the oldest were dropped (--webhook-queue {})", cut, queueLimit);
      length -= cut;
    }
    backlog = length;
    if (length > 0) {
      synchronized (nudge) {
        nudge.notifyAll();
      }
    }
  }

  private static String busyGroupIsFine(Throwable failure) {
    if (String.valueOf(Handoff.unwrap(failure).getMessage()).startsWith("BUSYGROUP")) {
      return "OK";
    }
    throw new IllegalStateException(Handoff.unwrap(failure));
  }

  private void runDeliveries() {
    while (!closed) {
      try {
        if (!holding || !deliverSome()) {
          synchronized (nudge) {
            nudge.wait(ROUND_MILLIS);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        LOG.debug("webhook delivery from Redis failed: {}", e.toString());
        claim = true; // the group may be gone (Redis flushed); the next holder's round makes it again
        try {
          Thread.sleep(ROUND_MILLIS);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Delivers what is pending here or new; {@code false} if there was nothing. */
  private boolean deliverSome() throws InterruptedException, ExecutionException, TimeoutException {
    List<StreamMessage<String, String>> batch;
    if (claim) {
      ClaimedMessages<String, String> claimed = await(cluster.command(redis -> redis.xautoclaim(keys.events(),
          XAutoClaimArgs.Builder.xautoclaim(consumer, Duration.ZERO, "0-0").count(100))));
      batch = claimed.getMessages();
      if (batch.isEmpty()) {
        claim = false;
        return true;
      }
    } else {
      batch = await(cluster.command(redis -> redis.xreadgroup(consumer, XReadArgs.Builder.count(16),
          XReadArgs.StreamOffset.lastConsumed(keys.events()))));
      if (batch == null || batch.isEmpty()) {
        return false;
      }
    }
    for (StreamMessage<String, String> entry : batch) {
      if (!holding || closed) {
        return true; // the next holder claims the rest
      }
      if (entry.getBody() != null && !entry.getBody().isEmpty()) {
        outlet.deliver(body(entry.getId(), entry.getBody()));
      }
      String id = entry.getId();
      await(cluster.command(redis -> redis.xack(keys.events(), GROUP, id)));
      await(cluster.command(redis -> redis.xdel(keys.events(), id)));
    }
    return true;
  }

  /** The webhook's JSON body for one stream entry: the single relay's fields, then {@code "id"}. */
  static Map<String, Object> body(String id, Map<String, String> fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", fields.get("type"));
    body.put("client", fields.get("client"));
    body.put("channel", fields.get("channel"));
    body.put("ts", Long.parseLong(fields.getOrDefault("ts", "0")));
    if (fields.containsKey("topic")) {
      body.put("topic", fields.get("topic"));
    }
    if (fields.containsKey("seq")) {
      body.put("seq", Long.parseLong(fields.get("seq")));
    }
    if (fields.containsKey("reason")) {
      body.put("reason", fields.get("reason"));
    }
    body.put("id", id);
    return body;
  }

  private static <T> T await(CompletionStage<T> stage) throws InterruptedException, ExecutionException, TimeoutException {
    return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    closed = true;
    holding = false;
    rounds.interrupt();
    deliveries.interrupt();
  }
}
